/**
 * Records one run as it happens: an event sink that keeps the run record and writes it to its own file when the
 * run starts, as tasks change state, and when it ends. Writes are coalesced — one in flight, and the newest state
 * written next — so a run of a thousand tasks writes a few times a second, never once per event, and never out of
 * order. The index learns of the run when it starts and when it ends.
 */
import type { FlowEvent } from '../engine/events.js';
import { applyEvent, type RunRecord } from './record.js';
import { summarize } from './summary.js';
import type { HistoryStore } from './history.js';
import { FlowError } from '../errors.js';
import { maskDeep } from '../engine/mask.js';
import { errnoWords } from '../util/errno.js';
import { isDiskFull } from './reserve.js';

/**
 * Time between two writes of the same run file while it runs: next to nothing for a small run, so its file follows
 * every change, and up to 100 ms for a run of a thousand tasks, whose record takes a while to serialize.
 */
function writeIntervalMs(record: RunRecord): number {
  return Math.min(100, record.tasks.length / 10);
}

export class RunRecorder {
  private record: RunRecord | undefined;
  private dirty = false;
  private writing: Promise<void> | undefined;
  private began: Promise<void> | undefined;
  private lastWrite = 0;
  private failure: unknown;

  /** `secrets`: values written as `***` wherever they appear in the record (an error, a hook's first line). */
  constructor(
    private readonly store: HistoryStore,
    private readonly secrets: readonly string[] = [],
    private readonly signal?: AbortSignal,
  ) {}

  private masked(record: RunRecord): RunRecord {
    return maskDeep(record, this.secrets);
  }

  readonly sink = (event: FlowEvent): void => {
    this.record = applyEvent(this.record, event);
    if (this.record === undefined) return;
    if (event.kind === 'run-started') {
      const first = this.record;
      // The index learns of the run before its file exists, so recovery can always find a run left running.
      this.began = this.store.indexRun(summarize(this.masked(first)), this.signal).catch((error: unknown) => {
        this.failure ??= error;
      });
    }
    this.dirty = true;
    this.schedule();
  };

  /** Resolves once the run is in the index and its file is written. */
  async started(): Promise<void> {
    await this.began;
    while (this.writing !== undefined) await this.writing;
    if (this.failure !== undefined) throw storeError(this.failure);
  }

  /** The record as known so far (undefined before the run started). */
  get current(): RunRecord | undefined {
    return this.record;
  }

  /**
   * Waits until the final state is on disk and in the index; throws if history could not be written. A full disk
   * does not lose the outcome: the store records it in the room it keeps for that, or notes it for recovery and
   * keeps trying (see reserve.ts); the error then says so.
   */
  async close(): Promise<RunRecord | undefined> {
    await this.began;
    while (this.writing !== undefined || this.dirty) {
      if (this.writing === undefined) this.schedule(true);
      await this.writing;
    }
    if (this.failure !== undefined && !isDiskFull(this.failure)) throw storeError(this.failure);
    if (this.record === undefined) return undefined;
    const record = this.masked(this.record);
    try {
      // The file may have missed its last writes while the disk was full; one more try before the index.
      if (this.failure !== undefined) await this.store.writeRun(record);
      await this.store.indexRun(summarize(record), this.signal);
    } catch (error) {
      if (!isDiskFull(error)) throw storeError(error);
      await this.store.recordOnFullDisk(record);
      return record;
    }
    await this.store.prune({ pipeline: record.pipeline }).catch((error: unknown) => {
      if (!isDiskFull(error)) throw error;
    });
    return record;
  }

  private schedule(now = false): void {
    if (this.writing !== undefined || !this.dirty || this.record === undefined) return;
    const wait = now ? 0 : Math.max(0, this.lastWrite + writeIntervalMs(this.record) - Date.now());
    const record = this.record;
    this.writing = (async () => {
      await this.began;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.dirty = false;
      this.lastWrite = Date.now();
      await this.store.writeRun(this.masked(record));
    })()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.writing = undefined;
        this.schedule();
      });
  }
}

function storeError(error: unknown): FlowError {
  if (error instanceof FlowError) return error;
  const path = (error as NodeJS.ErrnoException).path;
  return new FlowError('E_STORE', `could not record the run in history: ${errnoWords(error)}${path === undefined ? '' : ` (${path})`}`, {
    hint: isDiskFull(error) ? 'free some space on that file system and run it again' : undefined,
    cause: error,
  });
}
