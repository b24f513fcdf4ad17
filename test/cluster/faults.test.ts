/**
 * Faults with real processes: a worker killed mid-task, and Redis paused for longer than the job lock. In both the
 * attempt that was running is ended by its worker's side (flow's watchdog, or the worker's lock watch), recorded
 * `interrupted`, and retried on a worker; the retry checks that the first copy is gone before it starts.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { clusterEnv, startWorker, TEST_LOCK_MS } from '../helpers/cluster.js';
import { alive, eventually, fixture, type Running } from '../helpers/flow.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

interface RunRecord {
  status: string;
  tasks: { id: string; status: string; attempts: { log: string; error: string | null }[] }[];
}

// Attempt 1 records its pid and waits; any attempt first checks that no earlier copy still runs.
const TASK = [
  'if [ -f "$MARK/pid" ] && kill -0 "$(cat "$MARK/pid")" 2>/dev/null; then echo OVERLAP; exit 9; fi',
  'echo $$ > "$MARK/pid"',
  'echo "attempt $FLOW_ATTEMPT"',
  'if [ "$FLOW_ATTEMPT" = 1 ]; then touch "$MARK/started"; sleep 120; fi',
].join('\n');

function pipeline(mark: string): string {
  return `tasks:\n  long:\n    run: ${JSON.stringify(TASK)}\n    env: { MARK: ${JSON.stringify(mark)} }\n    retries: 1\n    retry_delay: 100ms\n`;
}

let redis: RedisServer;
const started: Running[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(() => {
  redis.resume();
  for (const worker of started.splice(0)) worker.signal('SIGKILL');
});

async function startPair(f: ReturnType<typeof fixture>): Promise<Running[]> {
  const pair = await Promise.all(['w1', 'w2'].map((name) => startWorker(f, redis, name)));
  started.push(...pair);
  return pair;
}

function firstPid(f: ReturnType<typeof fixture>): number {
  return Number(readFileSync(f.path('mark', 'pid'), 'utf8').trim());
}

describe('cluster faults', () => {
  test('a worker killed with SIGKILL mid-task: its task ends, the attempt is interrupted and retried on the other worker', async () => {
    const f = fixture();
    f.write({ 'pipelines/long.flow.yaml': pipeline(f.path('mark')), 'mark/.keep': '' });
    const pair = await startPair(f);
    const run = f.start(['run', 'long', '--json'], { env: clusterEnv(redis) });
    await eventually('attempt 1 to start on a worker', () => readFileSync(f.path('mark', 'started')) !== undefined);
    const holder = pair.find((worker) => /took long /.test(worker.stdout));
    const other = pair.find((worker) => worker !== holder);
    expect(holder).toBeDefined();
    const pid = firstPid(f);
    holder?.signal('SIGKILL');
    await eventually("the killed worker's task to be ended by its watchdog", () => !alive(pid));
    const ended = await run.exited;
    expect(ended.stderr).toBe('');
    expect(ended.code).toBe(0);
    const record = JSON.parse(ended.stdout) as RunRecord;
    const attempts = record.tasks[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.error)).toEqual([expect.stringMatching(/^interrupted: worker \S+ stopped answering \(its lock on the job expired\)$/), null]);
    expect(readFileSync(attempts[1]?.log ?? '', 'utf8')).toBe('attempt 2\n');
    expect(other?.stdout).toMatch(/took long \S+ long attempt 2/);
  });

  test('Redis paused for longer than the job lock: the worker ends its task, at most one copy runs, the retry runs after', async () => {
    const f = fixture();
    f.write({ 'pipelines/long.flow.yaml': pipeline(f.path('mark')), 'mark/.keep': '' });
    const [worker] = await Promise.all([startWorker(f, redis, 'w1')]);
    if (worker !== undefined) started.push(worker);
    const run = f.start(['run', 'long', '--json'], { env: clusterEnv(redis) });
    await eventually('attempt 1 to start on the worker', () => readFileSync(f.path('mark', 'started')) !== undefined);
    const pid = firstPid(f);
    redis.pause();
    const pausedAt = Date.now();
    await worker?.waitFor('the worker to give up the job it cannot renew', (out) => /lost job long\/\S+\/long\/1: its lock on the job was not renewed/.test(out.stdout));
    await eventually('the task of the lost job to be ended', () => !alive(pid));
    // The feature is about real time: Redis stays paused until the job's lock has certainly expired.
    await eventually('the lock to expire while Redis is paused', () => Date.now() > pausedAt + TEST_LOCK_MS * 1.5);
    redis.resume();
    const ended = await run.exited;
    expect(ended.code).toBe(0);
    const record = JSON.parse(ended.stdout) as RunRecord;
    const attempts = record.tasks[0]?.attempts ?? [];
    expect(attempts.map((attempt) => attempt.error)).toEqual([expect.stringMatching(/^interrupted: /), null]);
    expect(readFileSync(attempts[1]?.log ?? '', 'utf8')).toBe('attempt 2\n');
  });

  test('a worker stopped with SIGTERM mid-task ends its task; without retries left the task ends interrupted and the run failed', async () => {
    const f = fixture();
    f.write({ 'pipelines/long.flow.yaml': pipeline(f.path('mark')).replace('retries: 1', 'retries: 0'), 'mark/.keep': '' });
    const pair = await startPair(f);
    const run = f.start(['run', 'long', '--json'], { env: clusterEnv(redis) });
    await eventually('attempt 1 to start on a worker', () => readFileSync(f.path('mark', 'started')) !== undefined);
    const holder = pair.find((worker) => /took long /.test(worker.stdout));
    const pid = firstPid(f);
    holder?.signal('SIGTERM');
    expect((await holder?.exited)?.code).toBe(0);
    expect(alive(pid)).toBe(false);
    const ended = await run.exited;
    expect(ended.code).toBe(1);
    const record = JSON.parse(ended.stdout) as RunRecord;
    expect(record.status).toBe('failed');
    expect(record.tasks[0]?.status).toBe('interrupted');
    expect(record.tasks[0]?.attempts.map((attempt) => attempt.error)).toEqual([expect.stringMatching(/^interrupted: worker \S+ was stopped$/)]);
  });

  test('Redis stopped and started mid-task: the worker reconnects and the task ends as it would have', async () => {
    const f = fixture();
    const wait = 'echo begin; while [ ! -f "$MARK/go" ]; do sleep 0.05; done; echo end';
    f.write({ 'pipelines/wait.flow.yaml': `tasks:\n  wait:\n    run: ${JSON.stringify(`touch "$MARK/started"; ${wait}`)}\n    env: { MARK: ${JSON.stringify(f.path('mark'))} }\n    retries: 1\n`, 'mark/.keep': '' });
    const worker = await startWorker(f, redis, 'w1');
    started.push(worker);
    const run = f.start(['run', 'wait', '--json'], { env: clusterEnv(redis) });
    await eventually('the task to start', () => readFileSync(f.path('mark', 'started')) !== undefined);
    await redis.stop();
    await redis.start();
    f.write({ 'mark/go': '' });
    const ended = await run.exited;
    expect(ended.code).toBe(0);
    const task = (JSON.parse(ended.stdout) as RunRecord).tasks[0];
    expect(task?.status).toBe('success');
    // Restarting Redis takes longer than the short test lock on a loaded machine: then the attempt was given up and
    // retried. Either way its last attempt ran to its end and nothing ran twice at once.
    expect(readFileSync(task?.attempts.at(-1)?.log ?? '', 'utf8')).toBe('begin\nend\n');
    await worker.waitFor('the worker to say it reconnected', (out) => /redis: lost .*reconnecting until it answers\n.*redis: connected again/s.test(out.stdout));
  });
});
