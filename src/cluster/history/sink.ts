/**
 * A cluster's history, written beside the local store: an event sink that builds the run record with the same
 * reducer as the run file and writes it to Redis as the run starts, changes and ends (coalesced: one write in
 * flight, the newest state next), with each attempt's log tail as it ends. When the run has ended, its pipeline's
 * runs beyond the retention settings go, with their logs. Secrets are masked as in the run file.
 */
import { open } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { FlowEvent } from '../../engine/events.js';
import { maskDeep, maskText } from '../../engine/mask.js';
import { applyEvent, type RunRecord } from '../../store/record.js';
import type { Retention } from '../../store/retention.js';
import { LOG_TAIL_BYTES, runMember, type HistoryKeys } from './keys.js';
import { pruneRuns } from './prune.js';

export interface SinkContext {
  redis: Redis;
  keys: HistoryKeys;
  /** The scheduler that owns the runs this process runs (its lease holder id). */
  owner: string;
  retention: Retention;
  warn: (message: string) => void;
}

export class ClusterRunSink {
  private record: RunRecord | undefined;
  private dirty = false;
  private writing: Promise<void> | undefined;
  private readonly logs = new Set<Promise<void>>();
  private failed = false;

  constructor(
    private readonly ctx: SinkContext,
    private readonly secrets: readonly string[],
  ) {}

  readonly sink = (event: FlowEvent): void => {
    this.record = applyEvent(this.record, event);
    const record = this.record;
    if (record === undefined) return;
    if (event.kind === 'attempt-finished') this.saveLog(record, event.task, event.attempt, event.log);
    this.dirty = true;
    this.writing ??= this.drain();
  };

  /** Resolves once the newest state and every log tail are in Redis, and retention has run for an ended run. */
  async close(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    while (this.logs.size > 0) await Promise.all([...this.logs]);
    const record = this.record;
    if (record === undefined || record.status === 'running') return;
    await pruneRuns(this.ctx.redis, this.ctx.keys, record.pipeline, this.ctx.retention).catch((error: unknown) => this.warn(`pruning`, error));
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty && this.record !== undefined) {
        this.dirty = false;
        await this.write(maskDeep(this.record, this.secrets));
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async write(record: RunRecord): Promise<void> {
    await writeRecord(this.ctx, record).catch((error: unknown) => this.warn(`writing run ${record.id}`, error));
  }

  private saveLog(record: RunRecord, task: string, attempt: number, file: string): void {
    const work: Promise<void> = (async () => {
      const text = maskText(await tailOf(file), this.secrets);
      await this.ctx.redis.hset(this.ctx.keys.logs(record.pipeline, record.id), `${task}.${attempt}`, text);
    })()
      .catch((error: unknown) => this.warn(`keeping the log of ${task} (attempt ${attempt})`, error))
      .finally(() => this.logs.delete(work));
    this.logs.add(work);
  }

  private warn(what: string, error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.ctx.warn(`cluster history: ${what} in Redis failed: ${(error as Error).message}`);
  }
}

/** The last LOG_TAIL_BYTES of a log file (empty when it is missing). */
async function tailOf(file: string): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** One record, whole, in one MULTI: the record, both listings, and whether it runs (and whose it is). */
export async function writeRecord(ctx: SinkContext, record: RunRecord): Promise<void> {
  const { redis, keys } = ctx;
  const member = runMember(record.pipeline, record.id);
  const score = Date.parse(record.started_at);
  const multi = redis
    .multi()
    .set(keys.run(record.pipeline, record.id), JSON.stringify(record))
    .zadd(keys.runs, score, member)
    .zadd(keys.pipelineRuns(record.pipeline), score, record.id);
  if (record.status === 'running') multi.hset(keys.running, member, ctx.owner);
  else multi.hdel(keys.running, member);
  await multi.exec();
}
