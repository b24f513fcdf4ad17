/**
 * The newest runs of one pipeline, a page at a time, for its grid and trend. The index answers while it holds them;
 * past it (a large history drops older runs from the index) the pipeline's run directory is listed by name only and
 * just the runs shown are read, so a page costs the same with 100 runs or 100,000.
 */
import type { HistoryStore } from '../../store/history.js';
import type { RunRecord } from '../../store/record.js';
import { runIdsOf } from '../../store/run-files.js';
import { fromSummary, type RunSummary } from '../../store/summary.js';

export interface RunsPage {
  /** Newest first. */
  runs: RunRecord[];
  /** The cursor for the page of older runs (`before=`), or null when these are the oldest. */
  older: string | null;
}

export async function recentRuns(store: HistoryStore, pipeline: string, options: { limit: number; before?: string | undefined }): Promise<RunsPage> {
  const { limit, before } = options;
  const index = await store.index();
  const below = (id: string): boolean => before === undefined || id < before;
  const indexed = new Map<string, RunSummary>();
  for (const run of index.runs) if (run.pipeline === pipeline && below(run.id)) indexed.set(run.id, run);
  let ids = [...indexed.keys()].sort().reverse();
  if (ids.length <= limit && index.truncated) {
    const named = (await runIdsOf(store.layout, pipeline)).filter(below);
    ids = [...new Set([...named, ...ids])].sort().reverse();
  }
  const shown = ids.slice(0, limit);
  const runs = await Promise.all(shown.map(async (id) => (await store.readRun({ pipeline, id })) ?? fromSummary(indexed.get(id))));
  return {
    runs: runs.filter((run): run is RunRecord => run !== undefined),
    older: ids.length > limit ? (shown.at(-1) ?? null) : null,
  };
}

export interface Trend {
  /** Runs that ended (neither running nor skipped), and how many of them succeeded. */
  ended: number;
  succeeded: number;
  /** Newest first, as the page was read. */
  points: { id: string; status: string; duration_ms: number | null }[];
}

export function trendOf(runs: readonly RunRecord[]): Trend {
  const ended = runs.filter((run) => run.status !== 'running' && run.status !== 'skipped');
  return {
    ended: ended.length,
    succeeded: ended.filter((run) => run.status === 'success').length,
    points: runs.map((run) => ({ id: run.id, status: run.status, duration_ms: run.duration_ms })),
  };
}
