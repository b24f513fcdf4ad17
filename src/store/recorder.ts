/**
 * Records one run as it happens: an event sink that keeps the run record, appends each change to the run's journal
 * (see journal.ts) as it happens, and writes the whole record to its own file once, when the run ends: a run of n
 * tasks writes O(n) bytes. Before the first task starts, the run is in the index (made durable) and its first
 * journal line is written; the journal is made durable at most every 100 ms while the run runs, and the whole record
 * when it ends. A run that ends within 100 ms syncs no journal at all: its record file, synced, replaces it. Where
 * the journal cannot be written (a full disk), the recorder goes back to writing the whole record, coalesced. The
 * index learns of the run when it starts and when it ends.
 */
import type { FlowEvent } from '../engine/events.js';
import { applyEvent, type RunRecord, type TaskRecord } from './record.js';
import { summarize } from './summary.js';
import type { HistoryStore } from './history.js';
import { FlowError } from '../errors.js';
import { maskDeep } from '../engine/mask.js';
import { errnoWords } from '../util/errno.js';
import { isDiskFull } from './reserve.js';
import { journalFile, JournalWriter, type JournalLine } from './journal.js';

/**
 * Time between two syncs of the journal (or, without one, two writes of the whole record) while the run runs: what
 * a machine that loses power may lose of a running run. Each sync is a disk flush; a daemon starting thousands of
 * runs at once would otherwise flush thousands of times before their first tasks.
 */
const WRITE_INTERVAL_MS = 100;

export class RunRecorder {
  private record: RunRecord | undefined;
  /** Undefined before the run starts, and once it could not be written (the whole record is written instead). */
  private journal: JournalWriter | undefined;
  private tasks = new Map<string, TaskRecord>();
  private dirty = false;
  private writing: Promise<void> | undefined;
  private began: Promise<void> | undefined;
  private lastWrite = 0;
  private failure: unknown;
  /** The run has ended: its whole record is being written, so no further sync of the journal is wanted. */
  private closing = false;
  /** Ends the wait before the next sync early (the run ended). */
  private wake: (() => void) | undefined;

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
      const first = this.masked(this.record);
      // The index learns of the run before its journal exists, so recovery can always find a run left running.
      const indexed = this.store.indexRun(summarize(first), this.signal);
      this.journal = new JournalWriter(journalFile(this.store.layout, first.pipeline, first.id), indexed);
      this.journal.append({ run: first });
      this.tasks = new Map(this.record.tasks.map((task) => [task.id, task]));
      this.lastWrite = Date.now();
      this.began = (async () => {
        await indexed;
        await this.journal?.flush();
      })().catch((error: unknown) => this.broke(error));
      return;
    }
    if (this.journal !== undefined) this.journal.append(this.changeOf(event, this.record));
    this.dirty = true;
    this.schedule();
  };

  /** The journal line for an event: the task it changed, or the run's own fields. */
  private changeOf(event: FlowEvent, record: RunRecord): JournalLine {
    if ('task' in event && typeof event.task === 'string') {
      let task = this.tasks.get(event.task);
      if (task === undefined) {
        task = record.tasks.find((entry) => entry.id === event.task);
        if (task !== undefined) this.tasks.set(task.id, task);
      }
      if (task !== undefined) return { task: maskDeep(task, this.secrets) };
    }
    const { tasks: _tasks, ...run } = record;
    return { run: maskDeep(run, this.secrets) };
  }

  /** The journal could not be written: note why, and write the whole record from now on. */
  private broke(error: unknown): void {
    this.failure ??= error;
    const journal = this.journal;
    this.journal = undefined;
    this.dirty = true;
    void journal?.close().catch(() => undefined);
  }

  /** Resolves once the run is in the index and its file is written. */
  async started(): Promise<void> {
    await this.began;
    if (this.journal === undefined) {
      // No journal (it could not be written): the whole record is written now, before the first task.
      this.lastWrite = 0;
      this.wake?.();
      this.schedule();
      while (this.writing !== undefined) await this.writing;
    }
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
    // The whole record, written and synced below, makes what a sync of the journal would: none is waited for.
    this.closing = true;
    this.wake?.();
    while (this.writing !== undefined) await this.writing;
    await this.journal?.close().catch((error: unknown) => this.broke(error));
    if (this.failure !== undefined && !isDiskFull(this.failure)) throw storeError(this.failure);
    if (this.record === undefined) return undefined;
    const record = this.masked(this.record);
    try {
      // The whole record, once; the store then removes the journal it replaces.
      await this.store.writeRun(record);
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

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private schedule(): void {
    if (this.writing !== undefined || !this.dirty || this.record === undefined || this.closing) return;
    const wait = Math.max(0, this.lastWrite + WRITE_INTERVAL_MS - Date.now());
    const record = this.record;
    this.writing = (async () => {
      await this.began;
      if (wait > 0) await this.pause(wait);
      if (this.closing) return;
      this.dirty = false;
      this.lastWrite = Date.now();
      if (this.journal !== undefined) await this.journal.sync().catch((error: unknown) => this.broke(error));
      else await this.store.writeRun(this.masked(record));
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
