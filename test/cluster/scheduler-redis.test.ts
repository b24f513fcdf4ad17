/** The scheduler's pieces against a real redis-server: the lease, claims, and the history kept in Redis. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ClusterHistory } from '../../src/cluster/history/read.js';
import { ClusterRunSink } from '../../src/cluster/history/sink.js';
import { claimInstant } from '../../src/daemon/cluster/claims.js';
import { schedulerKeys } from '../../src/daemon/cluster/keys.js';
import { Lease } from '../../src/daemon/cluster/lease.js';
import { scheduledRunId } from '../../src/engine/run-id.js';
import type { FlowEvent } from '../../src/engine/events.js';
import { startRedis } from '../helpers/redis.js';

let redis: Redis;
beforeAll(async () => {
  const server = await startRedis();
  redis = new Redis(server.url);
});
afterAll(() => redis.disconnect());

describe('lease and claims', () => {
  test('one holder at a time; a claim is taken once, and only by the holder (or with the lease free)', async () => {
    const keys = schedulerKeys('t1');
    const one = new Lease(redis, keys.lease, 'host-a/1/aa', 5000);
    const two = new Lease(redis, keys.lease, 'host-b/2/bb', 5000);
    expect(await one.tick()).toBe(true);
    expect(await two.tick()).toBe(false);
    expect(two.holderSeen).toBe('host-a/1/aa');
    const instant = new Date('2026-03-01T02:00:00Z');
    const claim = (holder: string, at = instant) => claimInstant(redis, keys, { holder, keepMs: 60_000, leaseMs: 5000 }, 'etl', at);
    expect(await claim('host-a/1/aa')).toEqual({ kind: 'claimed', runId: scheduledRunId('etl', instant) });
    expect(await claim('host-a/1/aa')).toEqual({ kind: 'taken', runId: scheduledRunId('etl', instant) });
    expect(await claim('host-b/2/bb', new Date(instant.getTime() + 60_000))).toEqual({ kind: 'not-leader' });
    await one.release();
    expect(await claim('host-b/2/bb', new Date(instant.getTime() + 60_000))).toMatchObject({ kind: 'claimed' });
    expect(await two.tick()).toBe(true);
  });
});

describe('history in Redis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flow-cluster-history-'));

  async function record(history: ClusterHistory, id: string, at: Date, output: string, keepRuns = 1000, keepDays = 36_500): Promise<void> {
    const log = join(dir, `${id}.log`);
    writeFileSync(log, output);
    const sink = new ClusterRunSink({ redis, keys: history.keys, owner: 'host-a/1/aa', retention: { keepRuns, keepDays }, warn: (message) => expect.fail(message) }, ['s3cret']);
    const events: FlowEvent[] = [
      { kind: 'run-started', at, run: { runId: id, pipeline: 'etl', file: 'etl.flow.yaml', trigger: 'schedule', logicalDate: at.toISOString(), plan: { tasks: [{ id: 'load' }] } as never } },
      { kind: 'task-started', at, task: 'load', attempt: 1, log, pid: undefined, pidStart: undefined },
      { kind: 'attempt-finished', at, task: 'load', attempt: 1, startedAt: at, log, outcome: { exitCode: 0, signal: undefined, timedOut: false, cancelled: false, error: undefined }, reason: undefined, retryInMs: undefined },
      { kind: 'task-finished', at, task: 'load', status: 'success', attempts: 1, reason: undefined },
      { kind: 'run-finished', at, status: 'success', failed: [] },
    ];
    for (const event of events.slice(0, 2)) sink.sink(event);
    expect((await history.running()).map((run) => run.id)).toContain(id);
    for (const event of events.slice(2)) sink.sink(event);
    await sink.close();
  }

  test('records, listings newest first, lookups by prefix, masked log tails, and retention', async () => {
    const history = new ClusterHistory(redis, 't2');
    const ids = ['20260301T020000.000Z-aaaaaa', '20260302T020000.000Z-bbbbbb', '20260303T020000.000Z-cccccc'];
    await record(history, ids[0] as string, new Date('2026-03-01T02:00:00Z'), 'one\n');
    await record(history, ids[1] as string, new Date('2026-03-02T02:00:00Z'), 'two with s3cret\n');
    expect((await history.list({ pipeline: 'etl' })).map((run) => run.id)).toEqual([ids[1], ids[0]]);
    expect((await history.find('20260302')).status).toBe('success');
    expect(await history.log('etl', ids[1] as string, 'load', 1)).toBe('two with ***\n');
    expect(await history.running()).toEqual([]);
    await expect(history.find('2026030')).rejects.toThrow(/matches 2 runs/);

    await record(history, ids[2] as string, new Date('2026-03-03T02:00:00Z'), 'three\n', 2);
    expect((await history.list()).map((run) => run.id)).toEqual([ids[2], ids[1]]);
    expect(await history.log('etl', ids[0] as string, 'load', 1)).toBeUndefined();

    // keep_days: a run of today stays, older ones go.
    const today = new Date();
    await record(history, scheduledRunId('etl', today), today, 'today\n', 1000, 90);
    expect((await history.list()).map((run) => run.id)).toEqual([scheduledRunId('etl', today)]);
  });
});
