/**
 * What history already holds for each logical date, from one pass over a pipeline's runs (not one query per date,
 * so a backfill of thousands of dates reads history once). Dates are compared as instants, never as text: the same
 * instant written with another offset (after a change of the pipeline's zone) is the same date.
 */
import type { RunStatus } from '../engine/events.js';
import type { RunSummary } from '../store/summary.js';

export interface DateHistory {
  status: RunStatus;
  run_id: string;
}

/**
 * Per instant (epoch milliseconds), the run that decides what a backfill does with it, of any trigger: the latest
 * successful one, else one still running, else the latest. `runs` come oldest first.
 */
export function historyByInstant(runs: readonly RunSummary[]): Map<number, DateHistory> {
  const byInstant = new Map<number, DateHistory>();
  for (const run of runs) {
    const instant = Date.parse(run.logical_date);
    if (Number.isNaN(instant)) continue;
    const known = byInstant.get(instant);
    if (known === undefined || rank(run.status) >= rank(known.status)) byInstant.set(instant, { status: run.status, run_id: run.id });
  }
  return byInstant;
}

function rank(status: RunStatus): number {
  return status === 'success' ? 2 : status === 'running' ? 1 : 0;
}
