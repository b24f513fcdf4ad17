/**
 * The history store: run records that survive crashes, kill -9 and concurrent writers. Every command that opens it
 * first recovers runs whose owner died (see recovery.ts); runs are recorded through RunRecorder, listed newest first
 * from the index (falling back to the run files for what the index no longer holds), and pruned by retention.
 */
import { access, constants, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowError } from '../errors.js';
import { ensurePrivateDir, ensurePrivateHome } from '../util/private-fs.js';
import { errnoWords } from '../util/errno.js';
import { cannotWrite, changeIndex, readIndex, upsertAll, type IndexData } from './index-file.js';
import { layoutOf, runDir, runLogDir, startOfRunId, type Layout } from './layout.js';
import type { RunRecord } from './record.js';
import { RunRecorder } from './recorder.js';
import { journalFile } from './journal.js';
import { IndexBatch } from './index-batch.js';
import { clearOutcome, isDiskFull, keepReserve, markOutcome, releaseReserve } from './reserve.js';
import { recoverDeadRuns } from './recovery.js';
import { allRunRefs, findRunRef, pipelinesWithRuns, readRun, setAsideNonDirectory, writeRun, type RunRef } from './run-files.js';
import { fromSummary, summarize, type RunSummary } from './summary.js';
import { INDEX_LIMIT } from './index-file.js';
import { DEFAULT_RETENTION, prune, type PruneResult, type Retention } from './retention.js';

export interface StoreOptions {
  /** Warnings for the user (a corrupt file moved aside, a run marked interrupted). */
  warn?: (message: string) => void;
  now?: () => Date;
  retention?: Retention;
  /**
   * False for commands that only read history (`flow history`, `show`, `logs`, `list`): they work on a read-only or
   * full FLOW_HOME, repairing nothing there. True (the default) refuses such a FLOW_HOME at once, in one line.
   */
  write?: boolean;
}

export interface RunQuery {
  pipeline?: string | undefined;
  status?: string | undefined;
  trigger?: string | undefined;
  /** Only runs started at or after this instant. */
  since?: Date | undefined;
  limit?: number | undefined;
}

export class HistoryStore {
  readonly layout: Layout;
  readonly warn: (message: string) => void;
  readonly now: () => Date;
  readonly retention: Retention;

  private constructor(home: string, options: StoreOptions) {
    this.layout = layoutOf(home);
    this.warn = options.warn ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
    this.retention = options.retention ?? DEFAULT_RETENTION;
  }

  /** Opens the store under FLOW_HOME, creating it if needed, and recovers runs left running by dead processes. */
  static async open(home: string, options: StoreOptions = {}): Promise<HistoryStore> {
    const store = new HistoryStore(home, options);
    const write = options.write ?? true;
    try {
      ensurePrivateHome(home);
      ensurePrivateDir(home, store.layout.runs);
      ensurePrivateDir(home, store.layout.logs);
      if (write) {
        await access(home, constants.W_OK);
        keepReserve(store.layout);
      }
    } catch (error) {
      if (write || !cannotWrite(error)) throw error instanceof FlowError ? error : homeError(home, error);
    }
    try {
      await recoverDeadRuns(store);
    } catch (error) {
      if (!cannotWrite(error)) throw error;
      store.warn(`cannot recover runs left running by processes that died: ${errnoWords(error)}`);
    }
    return store;
  }

  /** Applies retention to one pipeline (as each of its runs ends) or to all (`flow prune`). */
  async prune(options: { pipeline?: string; dryRun?: boolean; retention?: Retention } = {}): Promise<PruneResult> {
    return prune(this, options.retention ?? this.retention, options);
  }

  /** `signal` stops the recorder's waits for the index lock (see lock.ts) when the run is being stopped. */
  recorder(secrets: readonly string[] = [], signal?: AbortSignal): RunRecorder {
    return new RunRecorder(this, secrets, signal);
  }

  async index(): Promise<IndexData> {
    return readIndex(this.layout, () => this.rebuildIndex(), this.warn, async () => (await pipelinesWithRuns(this.layout)).length > 0);
  }

  async changeIndex(change: (data: IndexData) => IndexData | void, signal?: AbortSignal): Promise<IndexData> {
    return changeIndex(this.layout, () => this.rebuildIndex(), this.warn, change, signal);
  }

  /** Tells the index of a run's state; runs told while another change is under way are written together. */
  async indexRun(summary: RunSummary, signal?: AbortSignal): Promise<void> {
    await this.batch.add(summary, signal);
  }

  private readonly batch = new IndexBatch(async (summaries, signal) => {
    await this.changeIndex((data) => upsertAll(data, summaries), signal);
  });

  /** Writes a run's whole record (durably), and removes its journal, which the record now holds (see journal.ts). */
  async writeRun(record: RunRecord): Promise<void> {
    const dir = runDir(this.layout, record.pipeline);
    await setAsideNonDirectory(dir, this.warn);
    ensurePrivateDir(this.layout.home, dir);
    await writeRun(this.layout, record);
    await rm(journalFile(this.layout, record.pipeline, record.id), { force: true });
  }

  /**
   * The pipeline's directories for records and logs, made (0700, no links) before a run of it is recorded; a
   * `runs/<pipeline>` that is a file is set aside first, with a warning.
   */
  async prepare(pipeline: string): Promise<void> {
    await setAsideNonDirectory(runDir(this.layout, pipeline), this.warn);
    try {
      ensurePrivateDir(this.layout.home, runDir(this.layout, pipeline));
      ensurePrivateDir(this.layout.home, join(this.layout.logs, pipeline));
    } catch (error) {
      throw error instanceof FlowError ? error : homeError(this.layout.home, error);
    }
  }

  /** A run's log directory, made (0700, no links) if needed. */
  logDirOf(pipeline: string, runId: string): string {
    try {
      return ensurePrivateDir(this.layout.home, runLogDir(this.layout, pipeline, runId));
    } catch (error) {
      throw error instanceof FlowError ? error : homeError(this.layout.home, error);
    }
  }

  async readRun(ref: RunRef): Promise<RunRecord | undefined> {
    return readRun(this.layout, ref, this.warn);
  }

  /**
   * The final record of a run met a full disk: use the reserve's room and try again; failing that, note the outcome
   * in a file name for recovery, keep the record in memory and try again every few seconds while this process
   * lives (a daemon records it as soon as space returns). Throws a one-line E_STORE error saying which it was.
   */
  async recordOnFullDisk(record: RunRecord): Promise<void> {
    const what = `run ${record.id} of ${record.pipeline} (${record.status})`;
    if (releaseReserve(this.layout)) {
      try {
        await this.writeFinal(record);
        this.warn(`no space left on device; recorded ${what} in the room kept in reserve: free some space under ${this.layout.home}`);
        return;
      } catch (error) {
        if (!isDiskFull(error)) throw error;
      }
    }
    const noted = markOutcome(this.layout, record.pipeline, record.id, record.status);
    this.retryLater(record);
    throw new FlowError('E_STORE', `no space left on device: ${what} could not be recorded; ${noted ? `it is noted and will be recorded as ${record.status}` : 'it will be recorded'} when space returns`, {
      hint: `free some space under ${this.layout.home}`,
    });
  }

  private async writeFinal(record: RunRecord): Promise<void> {
    await this.writeRun(record);
    await this.indexRun(summarize(record));
    clearOutcome(this.layout, record.pipeline, record.id);
  }

  private retryLater(record: RunRecord, waitMs = 2_000): void {
    const timer = setTimeout(() => {
      this.writeFinal(record).then(
        () => this.warn(`space is back: recorded run ${record.id} of ${record.pipeline} (${record.status})`),
        () => this.retryLater(record, Math.min(30_000, waitMs * 2)),
      );
    }, waitMs);
    // A command that ends leaves the noted outcome to recovery; a daemon lives on and records it itself.
    timer.unref();
  }

  /** A run to show: its file or, where that was set aside as corrupt, its index entry. */
  async shownRun(ref: RunRef): Promise<RunRecord | undefined> {
    return (await this.readRun(ref)) ?? fromSummary((await this.index()).runs.find((run) => run.id === ref.id));
  }

  /** One run by id, or undefined. */
  async get(runId: string): Promise<RunRecord | undefined> {
    const indexed = (await this.index()).runs.find((run) => run.id === runId);
    const ref = indexed !== undefined ? { pipeline: indexed.pipeline, id: runId } : await findRunRef(this.layout, runId);
    return ref === undefined ? undefined : ((await this.readRun(ref)) ?? fromSummary(indexed));
  }

  /** Runs newest first, with their tasks. */
  async list(query: RunQuery = {}): Promise<RunRecord[]> {
    const limit = query.limit ?? 20;
    const index = await this.index();
    const matches = (run: RunSummary): boolean =>
      (query.pipeline === undefined || run.pipeline === query.pipeline) &&
      (query.status === undefined || run.status === query.status) &&
      (query.trigger === undefined || run.trigger === query.trigger) &&
      (query.since === undefined || startOfRunId(run.id) >= query.since.getTime());
    const found = index.runs.filter(matches).reverse().slice(0, limit);
    let refs: RunRef[] = found.map((run) => ({ pipeline: run.pipeline, id: run.id }));
    // The index holds the newest runs only; older ones are read from their files, newest first, until enough match.
    if (found.length < limit && index.truncated) refs = await this.scan(query, limit, matches);
    // A run file that was set aside as corrupt still lists from its index entry: nothing listed before is lost.
    const indexed = new Map(found.map((run) => [run.id, run]));
    const records = await Promise.all(refs.map(async (ref) => (await this.readRun(ref)) ?? fromSummary(indexed.get(ref.id))));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  /**
   * Every run of one pipeline without its tasks, oldest first, in one pass: the index, and the run files of what the
   * index no longer holds (backfills ask which logical dates are done over the whole history).
   */
  async summariesOf(pipeline: string): Promise<RunSummary[]> {
    const index = await this.index();
    const indexed = index.runs.filter((run) => run.pipeline === pipeline);
    if (!index.truncated) return indexed;
    const known = new Set(indexed.map((run) => run.id));
    const older: RunSummary[] = [];
    for (const ref of await allRunRefs(this.layout, pipeline)) {
      if (known.has(ref.id)) continue;
      const record = await this.readRun(ref);
      if (record !== undefined) older.push(summarize(record));
    }
    return [...older.reverse(), ...indexed];
  }

  private async scan(query: RunQuery, limit: number, matches: (run: RunSummary) => boolean): Promise<RunRef[]> {
    const refs: RunRef[] = [];
    const since = query.since?.getTime();
    for (const ref of await allRunRefs(this.layout, query.pipeline)) {
      if (since !== undefined && startOfRunId(ref.id) < since) break;
      const record = await this.readRun(ref);
      if (record !== undefined && matches(summarize(record))) refs.push(ref);
      if (refs.length >= limit) break;
    }
    return refs;
  }

  /** The index rebuilt from the newest run files (used when history.json is missing or corrupt). */
  async rebuildIndex(): Promise<IndexData> {
    const refs = await allRunRefs(this.layout);
    const newest = refs.slice(0, INDEX_LIMIT);
    const runs: RunSummary[] = [];
    for (const ref of newest.reverse()) {
      const record = await this.readRun(ref);
      if (record !== undefined) runs.push(summarize(record));
    }
    return { version: 1, runs, truncated: refs.length > newest.length };
  }
}

export function homeError(home: string, error: unknown): FlowError {
  return new FlowError('E_HOME', `cannot write to FLOW_HOME ${home}: ${errnoWords(error)}`, {
    hint: 'set FLOW_HOME to a writable directory',
    cause: error,
  });
}
