/**
 * `flow run` in cluster mode with real workers: tasks run on workers with their output in the scheduler's logs,
 * retries and outcomes as in local mode, `flow status` listing workers and naming a pool without one, a timeout
 * that applies to a task nobody takes, and the refusals at start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clusterEnv, startWorker, workerId } from '../helpers/cluster.js';
import { alive, eventually, fixture, ROOT, type Running } from '../helpers/flow.js';
import { freePort, startRedis, type RedisServer } from '../helpers/redis.js';

interface RunRecord {
  status: string;
  tasks: { id: string; status: string; reason: string | null; attempts: { log: string; error: string | null }[] }[];
}

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let redis: RedisServer;
let workers: Running[] = [];
const f = fixture({
  'pipelines/spread.flow.yaml': [
    'env: { GREETING: hi }',
    'secrets: [SECRET_WORD]',
    'tasks:',
    '  first: { run: \'echo "$GREETING from $FLOW_TASK"; echo to-stderr >&2\' }',
    '  flaky: { run: \'echo "attempt $FLOW_ATTEMPT"; [ "$FLOW_ATTEMPT" = 2 ]\', depends_on: [first], retries: 1, retry_delay: 100ms }',
    '  secret: { run: \'echo "word=$SECRET_WORD"\', env: { SECRET_WORD: swordfish }, depends_on: [first] }',
    '  skipper: { run: exit 99, depends_on: [first] }',
    '',
  ].join('\n'),
  'pipelines/sleeper.flow.yaml': 'tasks:\n  nap: { run: \'echo $$ > "$HOME/nap.pid"; exec sleep 120\', kill_grace: 2s }\n',
  'pipelines/gpu.flow.yaml': 'pool: gpu\ntasks:\n  train: { run: echo never, timeout: 6s }\n',
});

beforeAll(async () => {
  redis = await startRedis();
  workers = await Promise.all([startWorker(f, redis, 'w1'), startWorker(f, redis, 'w2', ['--pool', 'default', '--concurrency', '2'])]);
});
afterAll(async () => {
  for (const worker of workers) worker.signal('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));
});

describe('flow run in cluster mode', () => {
  test('tasks run on the workers; output, retries, skips, masking and the record are as in local mode', async () => {
    const result = await f.flow(['run', 'spread', '--json'], { env: clusterEnv(redis) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const record = JSON.parse(result.stdout) as RunRecord;
    const task = (id: string) => record.tasks.find((entry) => entry.id === id);
    expect(Object.fromEntries(record.tasks.map((entry) => [entry.id, entry.status]))).toEqual({ first: 'success', flaky: 'success', secret: 'success', skipper: 'skipped' });
    expect(readFileSync(task('first')?.attempts[0]?.log ?? '', 'utf8')).toBe('hi from first\nto-stderr\n');
    expect(task('flaky')?.attempts.map((attempt) => attempt.error)).toEqual(['exit code 1', null]);
    expect(readFileSync(task('flaky')?.attempts[1]?.log ?? '', 'utf8')).toBe('attempt 2\n');
    expect(readFileSync(task('secret')?.attempts[0]?.log ?? '', 'utf8')).toBe('word=***\n');
    expect(workers.map((worker) => worker.stdout.match(/took spread /g)?.length ?? 0).reduce((a, b) => a + b)).toBe(5);
  });

  test('flow status lists the workers; a task whose pool has no worker waits, is named, and times out', async () => {
    const run = f.start(['run', 'gpu'], { env: clusterEnv(redis) });
    let status = '';
    await eventually('flow status to name the pool without worker', async () => {
      status = (await f.flow(['status'], { env: clusterEnv(redis) })).stdout;
      return /no worker for pool gpu/.test(status);
    });
    expect(status).toMatch(/^cluster: 2 worker\(s\)$/m);
    for (const worker of workers) expect(status).toContain(`${workerId(worker)} on `);
    expect(status).toMatch(/pools default, 0\/2 running, last heartbeat/);
    expect(status).toMatch(/^ {2}no worker for pool gpu \(1 task\(s\) waiting\)$/m);
    const json = JSON.parse((await f.flow(['status', '--json'], { env: clusterEnv(redis) })).stdout) as { cluster: { workers: { pools: string[] }[] } };
    expect(json.cluster.workers).toHaveLength(2);
    const ended = await run.exited;
    expect(ended.code).toBe(1);
    expect(ended.stdout).toMatch(/Task "train" timed out after 6s/);
    const record = JSON.parse((await f.flow(['show', 'gpu', '--json'])).stdout) as RunRecord;
    expect(readFileSync(record.tasks[0]?.attempts[0]?.log ?? '', 'utf8')).toBe('flow: no worker for pool gpu; the task waits for one\nflow: no worker of pool gpu took the task within its timeout\n');
  });
});

describe('stopping a cluster run', () => {
  test('SIGINT to flow run ends the task on its worker and records it cancelled', async () => {
    const run = f.start(['run', 'sleeper', '--json'], { env: clusterEnv(redis) });
    let pid = 0;
    await eventually('the task to start on a worker', () => {
      pid = Number(readFileSync(f.path('nap.pid'), 'utf8'));
      return pid > 0;
    });
    run.signal('SIGINT');
    const ended = await run.exited;
    expect(ended.code).toBe(130);
    expect(alive(pid)).toBe(false);
    const record = JSON.parse(ended.stdout) as RunRecord;
    expect(record.status).toBe('cancelled');
    expect(record.tasks[0]).toMatchObject({ status: 'cancelled', attempts: [{ error: 'cancelled' }] });
  });
});

describe('a job from an incompatible flow version', () => {
  test('is refused by the worker, naming both versions, and its attempt ends with that message', async () => {
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('pool.default', { connection, prefix: 'flow' });
    try {
      await queue.add('task', { protocol: 99, flow: '9.9.9', task: { id: 'x' } }, { jobId: 'old/20261201T000000.000Z-aaaaaa/x/1', attempts: 1 });
      const line = `refused job old/20261201T000000.000Z-aaaaaa/x/1 comes from flow 9.9.9 (cluster protocol 99); this worker runs flow ${VERSION} (cluster protocol 1): run the same flow version on schedulers and workers`;
      await eventually('a worker to refuse the job', () => workers.some((worker) => worker.stdout.includes(line)));
      const entries = await connection.xrange('flow:flow:attempt:old/20261201T000000.000Z-aaaaaa/x/1:out', '-', '+');
      const end = entries.find(([, fields]) => fields[0] === 'end');
      expect(JSON.parse(end?.[1][1] ?? '{}')).toMatchObject({ error: line.slice('refused '.length) });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});

describe('refusals at start: one line, exit 2', () => {
  test('an unreachable Redis', async () => {
    const port = await freePort();
    for (const args of [['worker'], ['run', 'spread']]) {
      const result = await f.flow(args, { env: { FLOW_REDIS_URL: `redis://127.0.0.1:${port}`, FLOW_HOME: f.path('refused') } });
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(`flow: cannot use Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
      expect(result.stderr).not.toMatch(/ {4}at /);
    }
  });

  test('a wrong password', async () => {
    const locked = await startRedis({ password: 'right' });
    const result = await f.flow(['worker'], { env: { FLOW_REDIS_URL: `redis://:wrong@127.0.0.1:${locked.port}`, FLOW_HOME: f.path('refused') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^flow: cannot use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: WRONGPASS invalid username-password pair or user is disabled\.\n {2}the password goes in the URL/);
  });

  test('worker without cluster settings, and a bad pool name', async () => {
    const none = await f.flow(['worker']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^flow: flow worker needs cluster mode: no cluster\.redis in the config file and no FLOW_REDIS_URL\n/);
    const bad = await f.flow(['worker', '--pool', 'a/b'], { env: clusterEnv(redis) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^flow: --pool "a\/b": a pool name must use letters/);
  });
});
