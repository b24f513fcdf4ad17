/**
 * `flow worker`: takes task jobs of its pools from Redis and runs each through the same attempt code as a local
 * task (src/engine/attempt.ts: its own process group, timeout, kill grace, cgroup, masking), streaming its output
 * and then its outcome to the attempt's stream. Its presence is renewed every heartbeat for `flow status`.
 *
 * At most one copy of an attempt runs: BullMQ gives a job to one worker under a lock, and this worker ends the
 * task's process group as soon as it cannot be sure it still holds that lock (lock-watch.ts), or when it is told to
 * stop; if the worker itself dies, flow's watchdog (src/engine/watchdog.ts) ends the group. Its outcome is written
 * only while the lock is held, so an attempt is either reported by its worker or found lost by the scheduler.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Job, Worker } from 'bullmq';
import { runAttempt } from '../engine/attempt.js';
import type { AttemptOutcome } from '../engine/events.js';
import type { Env } from '../util/paths.js';
import { ensurePrivateDir, ensurePrivateHome } from '../util/private-fs.js';
import type { LogLine } from './connection.js';
import { requestOf } from './job-attempt.js';
import { LockWatch } from './lock-watch.js';
import { OutputPump } from './output-pump.js';
import { announce, withdraw, type RunningTask } from './presence.js';
import { FLOW_RELEASE, outcomeToJson, readTaskJob } from './protocol.js';
import { loadBullmq, openCluster } from './session.js';
import type { ClusterSettings } from './settings.js';

export interface WorkerOptions {
  settings: ClusterSettings;
  pools: string[];
  /** Tasks at once from each pool. */
  concurrency: number;
  home: string;
  env: Env;
  log: LogLine;
  /** Aborted to stop: take nothing more, end running tasks (recorded interrupted, retried elsewhere). */
  stop: AbortSignal;
  /** Called once the worker takes jobs. */
  ready?: (id: string) => void;
}

interface Attempt {
  task: RunningTask;
  stop: AbortController;
  force: AbortController;
  lost: string | undefined;
}

/** Writes the end only while `token` still holds the job's lock: a worker that lost it never reports. */
const END_IF_HOLDER = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('XADD', KEYS[2], '*', 'end', ARGV[2])
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return 1
end
return 0`;
/** An attempt's stream lives a day after its end unless its reader shortens it. */
const KEEP_STREAM_MS = 24 * 3600_000;

export async function runWorker(options: WorkerOptions): Promise<void> {
  const { settings, log } = options;
  ensurePrivateHome(options.home);
  const spool = ensurePrivateDir(options.home, join(options.home, 'worker'));
  const session = await openCluster(settings, 'worker', log);
  const id = `${hostname()}-${process.pid}`;
  const running = new Map<string, Attempt>();
  const watch = new LockWatch(settings.lockMs);
  const startedAt = new Date().toISOString();
  let stopping = false;

  const processJob = async (pool: string, job: Job, token: string | undefined): Promise<unknown> => {
    const jobId = job.id ?? '';
    const stream = session.keys.attemptStream(jobId);
    const end = async (outcome: AttemptOutcome): Promise<void> => {
      const wrote = await session.redis.eval(END_IF_HOLDER, 2, session.keys.jobLock(pool, jobId), stream, token ?? '', JSON.stringify(outcomeToJson(outcome)), KEEP_STREAM_MS);
      if (wrote !== 1) throw new Error(`lost the lock on job ${jobId} before its outcome was written`);
    };
    let data;
    try {
      data = readTaskJob(job.data, jobId);
    } catch (error) {
      const message = (error as Error).message;
      log(`refused ${message}`);
      await end({ exitCode: undefined, signal: undefined, timedOut: false, cancelled: false, error: message });
      throw error;
    }
    const attempt: Attempt = {
      task: { job: jobId, pipeline: data.pipeline.name, run: data.run.runId, task: data.task.id, attempt: data.attempt, since: new Date().toISOString() },
      stop: new AbortController(),
      force: new AbortController(),
      lost: undefined,
    };
    running.set(jobId, attempt);
    watch.track(jobId, (why) => {
      attempt.lost = why;
      attempt.force.abort();
      log(`lost job ${jobId}: ${why}; ended its task's process group`);
    });
    const logFile = join(spool, `${randomUUID()}.log`);
    try {
      // A stream of a worker that dies before its end still goes, a day later.
      await session.redis.multi().xadd(stream, '*', 'start', id).pexpire(stream, KEEP_STREAM_MS).exec();
      log(`took ${data.pipeline.name} ${data.run.runId} ${data.task.id} attempt ${data.attempt} (pool ${pool})`);
      const pump = new OutputPump(logFile, (chunk) => session.redis.xadd(stream, '*', 'out', chunk), 200);
      let outcome: AttemptOutcome;
      try {
        outcome = await runAttempt(requestOf(data, { logFile, baseEnv: options.env, signal: attempt.stop.signal, force: attempt.force.signal }));
      } finally {
        await pump.finish();
      }
      if (attempt.lost !== undefined) throw new Error(`lost job ${jobId}: ${attempt.lost}`);
      if (stopping && outcome.cancelled) outcome = { ...outcome, cancelled: false, interrupted: `worker ${id} was stopped` };
      await end(outcome);
      return outcomeToJson(outcome);
    } finally {
      watch.untrack(jobId);
      running.delete(jobId);
      rmSync(logFile, { force: true });
    }
  };

  const subscriber = session.redis.duplicate({ connectionName: 'flow-worker-stop' });
  subscriber.on('error', () => undefined);
  subscriber.on('message', (_channel: string, message: string) => {
    const { job, mode } = JSON.parse(message) as { job: string; mode: string };
    stopAttempt(running.get(job), mode);
  });
  await subscriber.subscribe(session.keys.stopChannel);

  const { Worker: BullWorker } = await loadBullmq();
  let lastError: string | undefined;
  const workers: Worker[] = options.pools.map((pool) => {
    const worker = new BullWorker(session.keys.queue(pool), (job, token) => processJob(pool, job, token), {
      connection: session.redis,
      prefix: session.keys.bullPrefix,
      concurrency: options.concurrency,
      lockDuration: settings.lockMs,
      lockRenewTime: Math.max(1, Math.floor(settings.lockMs / 4)),
      stalledInterval: Math.max(1, Math.floor(settings.lockMs / 2)),
      // A stalled job is never handed out again by BullMQ: flow's scheduler decides, as a new attempt.
      maxStalledCount: 0,
    });
    worker.on('locksRenewed', ({ jobIds }: { jobIds: string[] }) => watch.renewed(jobIds));
    worker.on('lockRenewalFailed', (jobIds: string[]) => watch.failed(jobIds));
    worker.on('error', (error: Error) => {
      if (error.message === lastError || /could not renew lock/.test(error.message)) return;
      lastError = error.message;
      log(`queue ${pool}: ${error.message}`);
    });
    return worker;
  });

  const beat = async (): Promise<void> => {
    const presence = { id, host: hostname(), pid: process.pid, pools: options.pools, concurrency: options.concurrency, version: FLOW_RELEASE, started: startedAt, heartbeat: new Date().toISOString(), running: [...running.values()].map((entry) => entry.task) };
    await announce(session.redis, session.keys, presence, settings.heartbeatMs);
    // A stop sent while this worker was disconnected from the channel is still in its key.
    const jobs = [...running.keys()];
    if (jobs.length > 0) {
      const modes = await session.redis.mget(jobs.map((job) => session.keys.attemptStop(job)));
      jobs.forEach((job, i) => stopAttempt(running.get(job), modes[i] ?? undefined));
    }
  };
  await beat();
  const heartbeat = setInterval(() => void beat().catch(() => undefined), settings.heartbeatMs);
  log(`worker ${id} takes tasks of pool${options.pools.length === 1 ? '' : 's'} ${options.pools.join(', ')} (at most ${options.concurrency} at once each) from ${session.keys.bullPrefix} on Redis`);
  options.ready?.(id);

  await new Promise<void>((resolve) => (options.stop.aborted ? resolve() : options.stop.addEventListener('abort', () => resolve(), { once: true })));
  stopping = true;
  log(`stopping: ${running.size} running task(s) end and go back to the scheduler`);
  // Closing first: no job is taken between the stop of the running ones and the end.
  const closed = Promise.all(workers.map((worker) => worker.close()));
  for (const attempt of running.values()) attempt.stop.abort();
  await closed;
  clearInterval(heartbeat);
  watch.close();
  await withdraw(session.redis, session.keys, id).catch(() => undefined);
  subscriber.disconnect();
  await session.close();
}

function stopAttempt(attempt: Attempt | undefined, mode: string | undefined): void {
  if (attempt === undefined || mode === undefined) return;
  if (mode === 'kill') attempt.force.abort();
  else attempt.stop.abort();
}

