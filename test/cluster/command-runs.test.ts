/**
 * Runs that `flow run` starts in cluster mode, against a real redis-server: they are in the cluster's history, which
 * every host reads; an active scheduler leaves them alone while their process lives; when the process is killed
 * (SIGKILL), the active scheduler (or, with none, a reader on its host) marks the run `interrupted` with the reason
 * and never runs it again. Each process
 * has its own FLOW_HOME, as on separate hosts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { clusterEnv, startWorker } from '../helpers/cluster.js';
import { startDaemon, stopDaemon } from '../helpers/daemon.js';
import { alive, eventually, fixture } from '../helpers/flow.js';
import { startRedis } from '../helpers/redis.js';

interface Run {
  id: string;
  pipeline: string;
  status: string;
  tasks: { id: string; status: string; reason: string | null; attempts: unknown[] }[];
}

describe('flow run in cluster mode', () => {
  test('its runs are in the cluster history; an active scheduler does not adopt them; SIGKILL of flow run: interrupted, with the reason', async () => {
    const redis = await startRedis();
    const f = fixture({ 'pipelines/quick.flow.yaml': 'tasks:\n  hello: { run: echo hello from quick }\n' });
    const go = f.path('go');
    f.write({
      // Runs until the test lets it end: alive through as many of the scheduler's looks for dead owners as it takes.
      'pipelines/live.flow.yaml': `tasks:\n  wait: { run: 'echo waiting; while [ ! -e ${go} ]; do sleep 0.1; done' }\n`,
      'pipelines/doomed.flow.yaml': `tasks:\n  nap: { run: 'echo napping > ${f.path('nap')}; exec sleep 120' }\n`,
      'pipelines/lonely.flow.yaml': `tasks:\n  nap: { run: 'echo $$ > ${f.path('lonely.pid')}; exec sleep 120' }\n`,
    });
    const env = (home: string): Record<string, string> => clusterEnv(redis, { FLOW_HOME: f.path(home), FLOW_CLUSTER_LEASE_MS: '1500' });
    await startWorker(f, redis, 'worker');

    // Run on one host, read on another.
    const quick = await f.flow(['run', 'quick', '--json'], { env: env('host-a') });
    expect(quick.stderr).toBe('');
    expect(quick.code).toBe(0);
    const quickId = (JSON.parse(quick.stdout) as Run).id;
    const listed = JSON.parse((await f.flow(['history', '--json'], { env: env('host-b') })).stdout) as Run[];
    expect(listed.map((run) => [run.id, run.status])).toEqual([[quickId, 'success']]);
    expect((await f.flow(['logs', quickId], { env: env('host-b') })).stdout).toContain('hello from quick');

    // No scheduler runs: a reader on the host of a killed flow run marks its run, once its liveness key expired.
    const lonely = f.start(['run', 'lonely'], { env: env('host-c') });
    await eventually('the lonely task to start on the worker', () => existsSync(f.path('lonely.pid')) && readFileSync(f.path('lonely.pid'), 'utf8').trim() !== '');
    const napPid = Number(readFileSync(f.path('lonely.pid'), 'utf8'));
    lonely.signal('SIGKILL');
    await lonely.exited;
    let lonelyRun: Run | undefined;
    await eventually('flow history to show the killed run interrupted', async () => {
      lonelyRun = (JSON.parse((await f.flow(['history', 'lonely', '--json'], { env: env('host-b') })).stdout) as Run[])[0];
      return lonelyRun?.status === 'interrupted';
    });
    expect(lonelyRun?.tasks[0]?.reason).toMatch(/^its flow run on \S+ \(pid \d+\) died$/);
    await eventually('the task of the killed run to be ended on its worker', () => !alive(napPid));

    // An active scheduler beside two flow run processes: one lives on, one is killed.
    const daemon = startDaemon(f, [], { env: env('scheduler') });
    await daemon.waitFor('the scheduler to take the lease', (out) => out.stdout.includes('active scheduler: took the lease'));
    const live = f.start(['run', 'live'], { env: env('host-a') });
    const doomed = f.start(['run', 'doomed'], { env: env('host-c') });
    const running = async (): Promise<Run[]> => (JSON.parse((await f.flow(['history', '--json', '--status', 'running'], { env: env('host-b') })).stdout) as Run[]);
    await eventually('both runs to be running in the cluster history', async () => (await running()).length === 2);
    await eventually('the doomed task to start on the worker', () => existsSync(f.path('nap')));
    const now = await running();
    const liveId = now.find((run) => run.pipeline === 'live')?.id ?? '';
    const doomedId = now.find((run) => run.pipeline === 'doomed')?.id ?? '';

    doomed.signal('SIGKILL');
    await doomed.exited;
    await daemon.waitFor('the scheduler to mark the killed run interrupted', (out) => out.stdout.includes(`run ${doomedId} of doomed interrupted: its flow run on `));
    expect(daemon.stdout).toMatch(new RegExp(`run ${doomedId} of doomed interrupted: its flow run on \\S+ \\(pid \\d+\\) died; not finished here: it was started by flow run, not by a scheduler`));
    const shown = JSON.parse((await f.flow(['show', doomedId, '--json'], { env: env('host-b') })).stdout) as Run;
    expect(shown.status).toBe('interrupted');
    expect(shown.tasks[0]?.status).toBe('interrupted');
    expect(shown.tasks[0]?.reason).toMatch(/^its flow run on \S+ \(pid \d+\) died$/);
    expect(shown.tasks[0]?.attempts).toHaveLength(1);

    // The live run went through the same looks and is still its own process's: untouched.
    expect(daemon.stdout).not.toContain(liveId);
    expect((await running()).map((run) => run.id)).toEqual([liveId]);
    f.write({ go: '' });
    const ended = await live.exited;
    expect(ended.code).toBe(0);
    const after = JSON.parse((await f.flow(['show', liveId, '--json'], { env: env('host-b') })).stdout) as Run;
    expect(after.status).toBe('success');
    expect(after.tasks[0]?.attempts).toHaveLength(1);
    expect(await stopDaemon(daemon)).toBe(0);
    // Nothing ran again behind the user's back.
    expect(daemon.stdout).not.toMatch(/finishing it here/);
  });
});
