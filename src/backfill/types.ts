/** The data a backfill plans and returns: plain, so `--dry-run --json` and `--json` print it as it is. */
import type { RunStatus } from '../engine/events.js';

export const RERUN_MODES = ['missing', 'failed', 'all'] as const;

/**
 * Which dates run again: `missing` every date without a successful run (a stopped backfill resumes where it
 * stopped), `failed` only dates whose runs all ended without success, `all` every date.
 */
export type RerunMode = (typeof RERUN_MODES)[number];

export interface PlannedDate {
  /** The instant the run stands for, ISO 8601 with the pipeline zone's offset (`FLOW_LOGICAL_DATE`). */
  logical_date: string;
  action: 'run' | 'skip';
  /** What history holds for this date before the backfill: the status of the run that decides, or null for none. */
  status: RunStatus | null;
  run_id: string | null;
}

export interface BackfillPlan {
  version: 1;
  pipeline: string;
  file: string;
  timezone: string;
  /** The range as read, ISO 8601 in the pipeline's zone, both ends included. */
  from: string;
  to: string;
  rerun: RerunMode;
  parallel: number;
  /** Oldest first, or newest first with `--reverse`. */
  dates: PlannedDate[];
}

/** How one date of a backfill went. A skipped date keeps what history held; a date never started has no run. */
export interface DateResult {
  logical_date: string;
  action: 'run' | 'skip';
  status: RunStatus | null;
  run_id: string | null;
  duration_ms: number | null;
  failed_tasks: string[];
}

/** What a running backfill reports as dates start and end, for progress lines. */
export type BackfillEvent =
  | { kind: 'date-started'; at: Date; logical_date: string }
  | { kind: 'date-finished'; at: Date; result: DateResult };
