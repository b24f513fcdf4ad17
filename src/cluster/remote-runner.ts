/**
 * The executor's attempt runner in cluster mode: the attempt goes on its pool's queue as a job whose id is derived
 * from (run, task, attempt), and this process follows the attempt's stream, writing its output into the attempt's
 * log file as a local attempt would, until the worker's outcome comes. Retries, trigger rules and the run's events
 * stay the executor's; only where the command runs changes.
 *
 * What the worker cannot say, this side decides: an attempt nobody took before its timeout is timed out (and taken
 * off the queue); one whose worker died or lost its lock on the job is `interrupted`, and the executor retries it
 * per the task's retries as a new job.
 */
import { closeSync, writeSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { runAttempt, type AttemptRequest, type AttemptRunner } from '../engine/attempt.js';
import type { AttemptOutcome } from '../engine/events.js';
import { openPrivateSync } from '../util/private-fs.js';
import { jobOf, runsRemotely } from './job-attempt.js';
import { attemptJobId } from './keys.js';
import { poolHasWorker } from './presence.js';
import { outcomeFromJson } from './protocol.js';
import type { ClusterSession } from './session.js';
import { requestStop } from './stop.js';

/** How long finished jobs stay in Redis: a second enqueue of the same attempt within it is a no-op. */
const KEEP_JOBS_S = 24 * 3600;
/** How long an attempt's stream stays once read to its end (a scheduler taking over may read it again). */
const KEEP_READ_STREAM_MS = 10 * 60_000;

export function remoteRunner(session: ClusterSession): AttemptRunner {
  return (request) => (runsRemotely(request.task) ? runRemote(session, request) : runAttempt(request));
}

async function runRemote(session: ClusterSession, request: AttemptRequest): Promise<AttemptOutcome> {
  const { keys, redis } = session;
  const { task } = request;
  const jobId = attemptJobId(request.pipeline.name, request.run.runId, task.id, request.attempt);
  const queue = await session.queue(task.pool);
  await redis.sadd(keys.pools, task.pool);
  await queue.add('task', jobOf(request), {
    jobId,
    attempts: 1,
    removeOnComplete: { age: KEEP_JOBS_S },
    removeOnFail: { age: KEEP_JOBS_S },
  });
  const fd = openPrivateSync(request.logFile, 'a');
  const reader = session.acquireReader();
  try {
    return await new Follower(session, request, jobId, fd, reader).follow();
  } finally {
    session.releaseReader(reader);
    closeSync(fd);
  }
}

class Follower {
  private readonly stream: string;
  private readonly enqueuedAt = Date.now();
  private lastId = '0';
  private worker: string | undefined;
  private notedNoWorker = false;
  private stopAsked: 'stop' | 'kill' | undefined;
  private checkedAt = Date.now();
  private heard = false;

  constructor(
    private readonly session: ClusterSession,
    private readonly request: AttemptRequest,
    private readonly jobId: string,
    private readonly fd: number,
    private readonly reader: Redis,
  ) {
    this.stream = session.keys.attemptStream(jobId);
  }

  async follow(): Promise<AttemptOutcome> {
    const { signal, force } = this.request;
    const onStop = (): void => void this.stop(force?.aborted === true ? 'kill' : 'stop');
    signal?.addEventListener('abort', onStop, { once: true });
    force?.addEventListener('abort', onStop, { once: true });
    if (signal?.aborted === true || force?.aborted === true) onStop();
    try {
      for (;;) {
        this.heard = false;
        const ended = await this.read(this.waitMs());
        if (ended !== undefined) return ended;
        // Output keeps coming from a live worker: the checks wait for a quiet read or a heartbeat's time.
        if (this.heard && Date.now() - this.checkedAt < this.session.settings.heartbeatMs) continue;
        this.checkedAt = Date.now();
        const decided = await this.check();
        if (decided !== undefined) return decided;
      }
    } finally {
      signal?.removeEventListener('abort', onStop);
      force?.removeEventListener('abort', onStop);
    }
  }

  /** Until the next check: a heartbeat, or sooner when a waiting attempt's timeout comes first. */
  private waitMs(): number {
    const beat = this.session.settings.heartbeatMs;
    const timeout = this.request.task.timeoutMs;
    if (this.worker !== undefined || timeout === undefined) return beat;
    return Math.max(1, Math.min(beat, this.enqueuedAt + timeout - Date.now()));
  }

  /** Entries of the stream from where the last read stopped; the outcome once its end comes. */
  private async read(blockMs: number): Promise<AttemptOutcome | undefined> {
    const answer = await this.reader.xreadBuffer('BLOCK', blockMs, 'STREAMS', this.stream, this.lastId);
    for (const [, entries] of answer ?? []) {
      for (const [id, fields] of entries) {
        this.lastId = id.toString();
        const name = fields[0]?.toString();
        // A wake-up (a stop asked of an attempt nobody took yet) is to be acted on now, not heard as output.
        this.heard ||= name !== 'wake';
        const value = fields[1] ?? Buffer.alloc(0);
        if (name === 'out') writeSync(this.fd, value);
        else if (name === 'start') this.started(value.toString());
        else if (name === 'end') {
          await this.session.redis.pexpire(this.stream, KEEP_READ_STREAM_MS);
          return outcomeFromJson(JSON.parse(value.toString()));
        }
      }
    }
    return undefined;
  }

  private started(worker: string): void {
    this.worker = worker;
    this.request.onSpawn(undefined);
    if (this.stopAsked !== undefined) void requestStop(this.session, this.jobId, this.stopAsked);
  }

  /** What the stream cannot say: a timeout before any worker took the attempt, a stop, a worker gone. */
  private async check(): Promise<AttemptOutcome | undefined> {
    const { redis, keys } = this.session;
    const { task } = this.request;
    if (this.worker === undefined) {
      const timedOut = task.timeoutMs !== undefined && Date.now() >= this.enqueuedAt + task.timeoutMs;
      if (timedOut || this.stopAsked !== undefined) {
        if (await this.takeBack()) {
          if (!timedOut) return { ...blank(), cancelled: true };
          this.note(`flow: no worker of pool ${task.pool} took the task within its timeout`);
          return { ...blank(), timedOut: true, timedOutAt: new Date(this.enqueuedAt + (task.timeoutMs ?? 0)), killGraceMs: 0 };
        }
      } else if (!this.notedNoWorker && Date.now() - this.enqueuedAt >= this.session.settings.heartbeatMs) {
        this.notedNoWorker = true;
        if (!(await poolHasWorker(redis, keys, task.pool))) this.note(`flow: no worker for pool ${task.pool}; the task waits for one`);
      }
    }
    // A job whose lock is gone and that is not waiting either was taken and lost: its worker died or lost its lock
    // (a worker writes its outcome only while it holds the lock, so an outcome already written is read first).
    const [lock, waiting] = ((await redis.multi().exists(keys.jobLock(task.pool, this.jobId)).lpos(keys.waitList(task.pool), this.jobId).exec()) ?? []).map((entry) => entry[1]);
    if (lock === 1 || waiting !== null) return undefined;
    const ended = await this.read(1);
    if (ended !== undefined) return ended;
    const queue = await this.session.queue(task.pool);
    const job = await queue.getJob(this.jobId);
    const reason = job?.failedReason;
    if (reason !== undefined && reason !== '' && !/stalled|lock/i.test(reason)) return { ...blank(), error: reason };
    const who = this.worker === undefined ? 'its worker' : `worker ${this.worker}`;
    void requestStop(this.session, this.jobId, 'kill');
    return { ...blank(), interrupted: `${who} stopped answering (its lock on the job expired)` };
  }

  /** Takes a job nobody took yet off the queue; false when a worker took it meanwhile. */
  private async takeBack(): Promise<boolean> {
    const queue = await this.session.queue(this.request.task.pool);
    return (await queue.remove(this.jobId)) === 1;
  }

  private async stop(mode: 'stop' | 'kill'): Promise<void> {
    this.stopAsked = mode;
    if (this.worker !== undefined) await requestStop(this.session, this.jobId, mode);
    // Wake the blocked read, so a waiting attempt is taken back now rather than at the next heartbeat.
    else await this.session.redis.multi().xadd(this.stream, '*', 'wake', '').pexpire(this.stream, KEEP_READ_STREAM_MS).exec();
  }

  private note(line: string): void {
    writeSync(this.fd, `${line}\n`);
  }
}

function blank(): AttemptOutcome {
  return { exitCode: undefined, signal: undefined, timedOut: false, cancelled: false, error: undefined };
}

