/**
 * Where the web UI reads runs from: this host's store (`localRunReader`), or in cluster mode the cluster's history
 * in Redis (cluster-runs.ts), where every scheduler host's runs are. Chosen once, where the UI is started; the
 * views call only this.
 */
import type { HistoryStore, RunQuery } from '../../store/history.js';
import { findRun } from '../../store/find-run.js';
import type { RunRecord } from '../../store/record.js';
import { recentRuns, type RunsPage } from '../pipeline/recent-runs.js';
import { RecentRuns, type RecentRun } from './recent.js';
import type { ApiEvent } from '../../api/event-hub.js';

/** The pipelines page's strips: every pipeline's newest runs (newest last), kept current by the API's events. */
export interface RecentStrips {
  byPipeline(pipelines: readonly string[]): Promise<Map<string, RecentRun[]>>;
  note(event: ApiEvent): void;
}

export interface RunReader {
  /** `onFilled`: told when runs the strips did not have are found later (the page reloads then). */
  strips(size: number, onFilled: () => void): RecentStrips;
  /** One pipeline's runs, newest first, a page at a time (`before`: the id the previous page ended on). */
  page(pipeline: string, options: { limit: number; before?: string | undefined }): Promise<RunsPage>;
  /** A run by id or unique prefix; FlowError E_RUN_NOT_FOUND or E_AMBIGUOUS otherwise. */
  find(ref: string): Promise<RunRecord>;
  /** Runs newest first, filtered as `flow history` filters (also `GET /api/v1/runs`). */
  list(query: RunQuery): Promise<RunRecord[]>;
  /**
   * Only where logs may be on another host: an attempt's output as kept elsewhere (its tail), for an attempt whose
   * log file is not here; undefined when none was kept.
   */
  keptLog?(run: RunRecord, task: string, attempt: number): Promise<string | undefined>;
  /** How much of an attempt's output `keptLog` keeps, in words, for the page to say. */
  keptLogLimit?: string;
  close(): void;
}

export function localRunReader(store: HistoryStore): RunReader {
  return {
    strips: (size, onFilled) => new RecentRuns(store, size, onFilled),
    page: (pipeline, options) => recentRuns(store, pipeline, options),
    find: (ref) => findRun(store, ref),
    list: (query) => store.list(query),
    close: () => undefined,
  };
}
