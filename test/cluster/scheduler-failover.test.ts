/**
 * Schedulers in a cluster, against a real redis-server: one active at a time, the others standing by; each
 * scheduled instant runs exactly once whatever happens to the schedulers or to Redis. Every scheduler and worker
 * has its own FLOW_HOME; the tasks (run by a worker) append to one shared file, the truth about what ran.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { clockPasses, eventually, fixture, type Fixture, type Running } from '../helpers/flow.js';
import { startDaemon, stopDaemon } from '../helpers/daemon.js';
import { clusterEnv, startWorker } from '../helpers/cluster.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

/** A short lease, so that a takeover happens within seconds of a death (FLOW_CLUSTER_LEASE_MS is for tests). */
const LEASE_MS = '1500';

function ticking(shared: string, catchup: string): string {
  return `schedule: "*/2 * * * * *"\ncatchup: ${catchup}\noverlap: allow\ntasks:\n  a:\n    run: echo "$FLOW_LOGICAL_DATE" >> ${shared}\n`;
}

/** Two tasks; the second is running when its scheduler is killed. */
function slow(marks: string): string {
  return `schedule: "@yearly"\ntasks:\n  first:\n    run: echo first >> ${marks}; echo hello from first\n  second:\n    depends_on: [first]\n    run: echo second-start >> ${marks}; sleep 3; echo second-end >> ${marks}\n`;
}

function scheduler(redis: RedisServer, shared: string, catchup = 'all', more: Record<string, string> = {}): { f: Fixture; env: Record<string, string>; start: () => Running } {
  const f = fixture({ 'pipelines/tick.flow.yaml': ticking(shared, catchup), 'pipelines/slow.flow.yaml': slow(`${shared}.marks`), ...more });
  const env = clusterEnv(redis, { FLOW_CLUSTER_LEASE_MS: LEASE_MS });
  return { f, env, start: () => startDaemon(f, [], { env }) };
}

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

interface ShownRun {
  id: string;
  status: string;
  retried?: { previous_status: string }[];
  tasks: { id: string; status: string; attempts: { error: string | null }[] }[];
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
function expectEachInstantOnce(instants: number[], log: string): void {
  const sorted = [...instants].sort((a, b) => a - b);
  const ranText = sorted.map((t) => new Date(t).toISOString()).join(' ');
  expect(new Set(sorted).size, `an instant ran twice: ${ranText}\n${log}`).toBe(sorted.length);
  const first = sorted[0] ?? 0;
  const last = sorted.at(-1) ?? 0;
  expect(sorted.length, `every instant between the first and the last ran: ${ranText}\n${log}`).toBe((last - first) / 2000 + 1);
}

function sharedFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'flow-cluster-')), 'ran.txt');
}

describe('schedulers in a cluster', () => {
  test('two schedulers: one active, each instant once; SIGKILL of the active one: the standby takes over and finishes its run', async () => {
    const redis = await startRedis();
    const shared = sharedFile();
    // A pipeline only the first scheduler has: its run in flight cannot be finished by the second one.
    const gone = `schedule: "@yearly"\ntasks:\n  only:\n    run: echo only-start >> ${shared}.gone; sleep 20\n`;
    const one = scheduler(redis, shared, 'all', { 'pipelines/gone.flow.yaml': gone });
    const two = scheduler(redis, shared);
    await startWorker(one.f, redis, 'worker');
    const a = one.start();
    await a.waitFor('the first scheduler to take the lease', (out) => out.stdout.includes('active scheduler: took the lease'));
    const b = two.start();
    await b.waitFor('the second scheduler to stand by', (out) => /standby: the active scheduler is /.test(out.stdout));
    await eventually('three instants to run', () => ran(shared).length >= 3);

    // The status file is rewritten a moment after the role changes (the daemon's log says it first): wait for it.
    await eventually('flow status of the second scheduler to say it stands by', async () => /scheduler: standby; the active scheduler is on \S+/.test((await two.f.flow(['status'])).stdout));
    await eventually('flow status of the first scheduler to say it is active', async () => {
      const json = JSON.parse((await one.f.flow(['status', '--json'])).stdout) as { daemon?: { cluster?: { role: string } } };
      return json.daemon?.cluster?.role === 'active';
    });

    // A run in flight: its second task is running when the active scheduler dies.
    const goneId = (await one.f.flow(['trigger', 'gone'], { env: one.env })).stdout.trim();
    const id = (await one.f.flow(['trigger', 'slow'], { env: one.env })).stdout.trim();
    await eventually('the second task of the slow run to start', () => lines(`${shared}.marks`).includes('second-start'));
    await eventually('the task of the other run to start', () => lines(`${shared}.gone`).includes('only-start'));
    a.signal('SIGKILL');
    await a.exited;
    const before = ran(shared).length;
    await b.waitFor('the standby to take over', (out) => out.stdout.includes('active scheduler: took the lease'));
    await eventually('three more instants to run after the takeover', () => ran(shared).length >= before + 3);
    await b.waitFor('the run in flight to be finished by the new active scheduler', (out) => new RegExp(`run ${id} of slow success`).test(out.stdout));

    // Every host reads the cluster's history: the run as the new active scheduler finished it.
    const shown = JSON.parse((await one.f.flow(['show', id, '--json'], { env: one.env })).stdout) as ShownRun;
    expect(shown.status).toBe('success');
    const [first, second] = shown.tasks;
    expect(first?.attempts).toHaveLength(1);
    // The second task went on running on its worker: the new active scheduler followed that attempt to its end.
    expect(second?.attempts).toHaveLength(1);
    expect(shown.retried?.[0]?.previous_status).toBe('interrupted');
    expect(b.stdout).toMatch(new RegExp(`run ${id} of slow: its scheduler on \\S+ died; finishing it here, running second again .*following second`));
    expect(lines(`${shared}.marks`)).toEqual(['first', 'second-start', 'second-end']);
    // Where it cannot be finished, the run is interrupted, with the reason.
    await b.waitFor('the other run to be marked interrupted', (out) => out.stdout.includes(`run ${goneId} of gone interrupted: its scheduler on`));
    const interrupted = JSON.parse((await two.f.flow(['show', goneId, '--json'], { env: two.env })).stdout) as ShownRun & { tasks: { reason: string | null }[] };
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.tasks[0]?.status).toBe('interrupted');
    expect(interrupted.tasks[0]?.reason).toMatch(/^its scheduler on \S+ died$/);
    expect(b.stdout).toContain('not finished here: its pipeline is not loaded here');

    const logs = await two.f.flow(['logs', id], { env: two.env });
    expect(logs.stdout).toMatch(/first +\| hello from first/);
    const history = JSON.parse((await two.f.flow(['history', '--json', '--limit', '1000'], { env: two.env })).stdout) as ShownRun[];
    expect(history.filter((run) => run.id === id)).toHaveLength(1);
    expect(history.filter((run) => run.status === 'success').length).toBeGreaterThan(6);

    expect(await stopDaemon(b)).toBe(0);
    expectEachInstantOnce(ran(shared), a.stdout + b.stdout);
    expect(b.stdout).not.toMatch(/could not run/);
  });

  test('Redis stopped and started mid-schedule: the scheduler reconnects, no instant runs twice or is lost', async () => {
    const redis = await startRedis();
    const shared = sharedFile();
    // catchup: false, and still no instant is lost: those that came while Redis was away are not missed ones.
    const one = scheduler(redis, shared, 'false');
    await startWorker(one.f, redis, 'worker');
    const a = one.start();
    await eventually('two instants to run', () => ran(shared).length >= 2);
    await redis.stop();
    await a.waitFor('the scheduler to see Redis gone', (out) => out.stdout.includes('redis: lost '));
    // An instant comes while Redis is away: it runs once Redis is back.
    await clockPasses(Math.ceil((Date.now() + 1) / 2000) * 2000 + 200);
    await redis.start();
    await a.waitFor('the scheduler to reconnect', (out) => out.stdout.includes('redis: connected again'));
    const after = ran(shared).length;
    await eventually('three more instants to run after the restart', () => ran(shared).length >= after + 3);
    expect(await stopDaemon(a)).toBe(0);
    // No record lost: each instant has exactly one run in the cluster's history, none missing between the first and
    // the last.
    const history = JSON.parse((await one.f.flow(['history', 'tick', '--json', '--limit', '1000'], { env: one.env })).stdout) as { id: string; logical_date: string; status: string }[];
    const recorded = history.map((run) => Date.parse(run.logical_date));
    expectEachInstantOnce(recorded, a.stdout);
    // A task ran at most once per instant, and only for a recorded run; a run that ended well did run its task.
    const tasksRan = ran(shared);
    expect(new Set(tasksRan).size, `a task ran twice for one instant\n${a.stdout}`).toBe(tasksRan.length);
    expect(tasksRan.filter((instant) => !recorded.includes(instant))).toEqual([]);
    const good = history.filter((run) => run.status === 'success').map((run) => Date.parse(run.logical_date));
    expect(good.filter((instant) => !tasksRan.includes(instant))).toEqual([]);
    // A run whose attempt was on a worker when Redis stopped may have lost the worker's lock on the job with it (the
    // lock expires while Redis is away): its task is interrupted (so the run failed, as any run with a task that did
    // not end well), not run again, and its record says why. Nothing else may go wrong.
    for (const run of history.filter((entry) => entry.status !== 'success')) {
      const shown = JSON.parse((await one.f.flow(['show', run.id, '--json'], { env: one.env })).stdout) as ShownRun & { tasks: { reason: string | null }[] };
      const why = JSON.stringify(shown);
      expect(shown.status, why).toBe('failed');
      expect(shown.tasks[0]?.status, why).toBe('interrupted');
      expect(shown.tasks[0]?.attempts, why).toHaveLength(1);
      expect(shown.tasks[0]?.reason ?? '', why).toMatch(/^interrupted: worker \S+ stopped answering \(its lock on the job expired\)$/);
    }
  });
});
