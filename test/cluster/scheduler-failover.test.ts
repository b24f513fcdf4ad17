/**
 * Schedulers in a cluster, against a real redis-server: one active at a time, the others standing by; each
 * scheduled instant runs exactly once whatever happens to the schedulers or to Redis. Every scheduler has its own
 * FLOW_HOME; their tasks append to one shared file, the truth about what ran.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clockPasses, eventually, fixture, type Fixture, type Running } from '../helpers/flow.js';
import { startDaemon, stopDaemon } from '../helpers/daemon.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

/** A short lease, so that a takeover happens within seconds of a death (FLOW_CLUSTER_LEASE_MS is for tests). */
const LEASE_MS = '1500';

function ticking(shared: string): string {
  return `schedule: "*/2 * * * * *"\ncatchup: all\ntasks:\n  a:\n    run: echo "$FLOW_LOGICAL_DATE" >> ${shared}\n`;
}

function scheduler(redis: RedisServer, shared: string): { f: Fixture; start: () => Running } {
  const f = fixture({ 'pipelines/tick.flow.yaml': ticking(shared) });
  return { f, start: () => startDaemon(f, [], { env: { FLOW_REDIS_URL: redis.url, FLOW_CLUSTER_LEASE_MS: LEASE_MS } }) };
}

/** Instants that ran, as epoch ms, in the order they ran. */
function ran(shared: string): number[] {
  let text = '';
  try {
    text = readFileSync(shared, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((line) => Date.parse(line));
}

/** Every instant from the first to the last that ran, each exactly once. */
function expectEachInstantOnce(instants: number[]): void {
  const sorted = [...instants].sort((a, b) => a - b);
  expect(new Set(sorted).size, `an instant ran twice: ${sorted.map((t) => new Date(t).toISOString()).join(' ')}`).toBe(sorted.length);
  const first = sorted[0] ?? 0;
  const last = sorted.at(-1) ?? 0;
  expect(sorted.length, 'every instant between the first and the last ran').toBe((last - first) / 2000 + 1);
}

function sharedFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'flow-cluster-')), 'ran.txt');
}

describe('schedulers in a cluster', () => {
  test('two schedulers: one active, each instant once; SIGKILL of the active one and the standby takes over', async () => {
    const redis = await startRedis();
    const shared = sharedFile();
    const one = scheduler(redis, shared);
    const two = scheduler(redis, shared);
    const a = one.start();
    await a.waitFor('the first scheduler to take the lease', (out) => out.stdout.includes('active scheduler: took the lease'));
    const b = two.start();
    await b.waitFor('the second scheduler to stand by', (out) => /standby: the active scheduler is /.test(out.stdout));
    await eventually('three instants to run', () => ran(shared).length >= 3);

    const status = await two.f.flow(['status']);
    expect(status.stdout).toMatch(/scheduler: standby; the active scheduler is on \S+/);
    const json = JSON.parse((await one.f.flow(['status', '--json'])).stdout) as { daemon: { cluster: { role: string } } };
    expect(json.daemon.cluster.role).toBe('active');

    a.signal('SIGKILL');
    await a.exited;
    const before = ran(shared).length;
    await b.waitFor('the standby to take over', (out) => out.stdout.includes('active scheduler: took the lease'));
    await eventually('three more instants to run after the takeover', () => ran(shared).length >= before + 3);
    expect(await stopDaemon(b)).toBe(0);
    expectEachInstantOnce(ran(shared));
    expect(b.stdout).not.toMatch(/could not run/);
  });

  test('Redis stopped and started mid-schedule: the scheduler reconnects, no instant runs twice or is lost', async () => {
    const redis = await startRedis();
    const shared = sharedFile();
    const one = scheduler(redis, shared);
    const a = one.start();
    await eventually('two instants to run', () => ran(shared).length >= 2);
    await redis.stop();
    await a.waitFor('the scheduler to see Redis gone', (out) => out.stdout.includes('lost the connection to Redis'));
    // An instant comes while Redis is away: it runs once Redis is back.
    await clockPasses(Math.ceil((Date.now() + 1) / 2000) * 2000 + 200);
    await redis.start();
    await a.waitFor('the scheduler to reconnect', (out) => out.stdout.includes('reconnected to Redis'));
    const after = ran(shared).length;
    await eventually('three more instants to run after the restart', () => ran(shared).length >= after + 3);
    expect(await stopDaemon(a)).toBe(0);
    expectEachInstantOnce(ran(shared));
  });
});
