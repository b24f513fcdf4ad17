/**
 * The web UI in cluster mode shows the cluster's runs: a run `flow run` recorded on host A is on the pages of a
 * `flow ui` on host B and of a scheduler's `flow daemon --ui` on host C (each its own FLOW_HOME, as on other
 * machines), read from a real redis-server: the pipelines page's strip, the pipeline page's grid, the run page
 * with its tasks, and the log page with the tail Redis keeps.
 */
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { clusterEnv, startWorker } from '../helpers/cluster.js';
import { startDaemon, stopDaemon } from '../helpers/daemon.js';
import { fixture, type Fixture, type Running } from '../helpers/flow.js';
import { startRedis } from '../helpers/redis.js';

async function expectClusterRun(f: Fixture, running: Running, home: string, id: string): Promise<void> {
  await running.waitFor(`the web UI on ${home} to listen`, (out) => /web UI on http:\/\/[\d.]+:\d+/.test(out.stdout));
  const url = /web UI on (http:\/\/[\d.]+:\d+)/.exec(running.stdout)?.[1] as string;
  const token = readFileSync(f.path(home, 'ui-token'), 'utf8').trim();
  const get = async (path: string): Promise<string> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status, `${home} ${path}`).toBe(200);
    return response.text();
  };
  expect(await get('/')).toContain(`/runs/${id}`);
  expect(await get('/pipelines/quick')).toContain(`data-run="${id}"`);
  const runPage = await get(`/runs/${id}`);
  expect(runPage).toContain('data-task="after"');
  expect(runPage).toContain(`/runs/${id}/tasks/hello/1`);
  const logPage = await get(`/runs/${id}/tasks/hello/1`);
  expect(logPage).toContain('hello from quick');
  expect(logPage).toContain('the last 64 KiB only');
  expect(await get(`/runs/${id}/tasks/hello/1/raw`)).toBe('hello from quick\n');
  // The API on the same listener reads the same history.
  expect((JSON.parse(await get('/api/v1/runs?pipeline=quick')) as { id: string }[]).map((run) => run.id)).toContain(id);
  expect((JSON.parse(await get(`/api/v1/runs/${id}`)) as { status: string }).status).toBe('success');
}

describe('the web UI in cluster mode', () => {
  test("other hosts' pages show a run recorded on host A, with its log tail from Redis", async () => {
    const redis = await startRedis();
    const f = fixture({ 'pipelines/quick.flow.yaml': 'tasks:\n  hello: { run: echo hello from quick }\n  after: { run: echo done, depends_on: [hello] }\n' });
    const env = (home: string): Record<string, string> => clusterEnv(redis, { FLOW_HOME: f.path(home) });
    const worker = await startWorker(f, redis, 'worker');
    const ran = await f.flow(['run', 'quick', '--json'], { env: env('host-a') });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const id = (JSON.parse(ran.stdout) as { id: string }).id;
    worker.signal('SIGTERM');
    // Host A is another machine: its FLOW_HOME (the run file, the log files) is not on the other hosts.
    rmSync(f.path('host-a'), { recursive: true, force: true });

    const ui = f.start(['ui', '--listen', '127.0.0.1:0'], { env: env('host-b') });
    const daemon = startDaemon(f, ['--ui', '--listen', '127.0.0.1:0'], { env: env('host-c') });
    try {
      await Promise.all([expectClusterRun(f, ui, 'host-b', id), expectClusterRun(f, daemon, 'host-c', id)]);
    } finally {
      ui.signal('SIGTERM');
      await Promise.all([ui.exited, stopDaemon(daemon), worker.exited]);
    }
  });
});
