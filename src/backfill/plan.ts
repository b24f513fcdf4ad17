/**
 * A backfill's plan: for each instant of the range, run it or skip it, decided by `--rerun` and what history holds
 * for that date. Plain data that `--dry-run` prints and the runner runs.
 */
import type { Pipeline } from '../pipeline/types.js';
import type { RunSummary } from '../store/summary.js';
import { isoWithOffset } from '../util/time.js';
import { historyByInstant, type DateHistory } from './history.js';
import { zoneOf } from './dates.js';
import type { BackfillPlan, PlannedDate, RerunMode } from './types.js';

export interface PlanBackfillOptions {
  pipeline: Pipeline;
  instants: readonly Date[];
  /** The pipeline's runs, oldest first (HistoryStore.summariesOf). */
  runs: readonly RunSummary[];
  from: Date;
  to: Date;
  rerun: RerunMode;
  parallel: number;
  reverse: boolean;
}

export function planBackfill(options: PlanBackfillOptions): BackfillPlan {
  const zone = zoneOf(options.pipeline);
  const history = historyByInstant(options.runs);
  const dates: PlannedDate[] = options.instants.map((instant) => {
    const known = history.get(instant.getTime());
    return {
      logical_date: isoWithOffset(instant, zone),
      action: runs(options.rerun, known) ? 'run' : 'skip',
      status: known?.status ?? null,
      run_id: known?.run_id ?? null,
    };
  });
  if (options.reverse) dates.reverse();
  return {
    version: 1,
    pipeline: options.pipeline.name,
    file: options.pipeline.file,
    timezone: zone,
    from: isoWithOffset(options.from, zone),
    to: isoWithOffset(options.to, zone),
    rerun: options.rerun,
    parallel: options.parallel,
    dates,
  };
}

/** A date that succeeded is done, and one still running is someone else's to finish, except under `all`. */
function runs(mode: RerunMode, known: DateHistory | undefined): boolean {
  if (mode === 'all') return true;
  const settled = known !== undefined && (known.status === 'success' || known.status === 'running');
  if (mode === 'missing') return !settled;
  return known !== undefined && !settled;
}
