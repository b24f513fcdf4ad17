/**
 * From what a person asked (`flow backfill p --from 2026-03-26 --to 2026-03-31 --rerun failed`) to a plan: the
 * range read in the pipeline's zone, the schedule's instants in it, and what history holds for each.
 */
import type { Pipeline } from '../pipeline/types.js';
import type { HistoryStore } from '../store/history.js';
import { parseDate, zoneOf } from './dates.js';
import { backfillInstants, backfillSchedule } from './instants.js';
import { planBackfill } from './plan.js';
import type { BackfillPlan, RerunMode } from './types.js';

export interface BackfillRequest {
  pipeline: Pipeline;
  /** A day (from its start) or an ISO 8601 instant. */
  from: string;
  /** A day (through its end) or an ISO 8601 instant, included. */
  to: string;
  rerun?: RerunMode | undefined;
  parallel?: number | undefined;
  reverse?: boolean | undefined;
}

export async function prepareBackfill(store: HistoryStore, request: BackfillRequest): Promise<BackfillPlan> {
  const { pipeline } = request;
  const schedule = backfillSchedule(pipeline);
  const zone = zoneOf(pipeline);
  const from = parseDate(request.from, zone, '--from').start;
  const to = parseDate(request.to, zone, '--to').end;
  const instants = backfillInstants(schedule, zone, from, to);
  return planBackfill({
    pipeline,
    instants,
    runs: await store.summariesOf(pipeline.name),
    from,
    to,
    rerun: request.rerun ?? 'missing',
    parallel: request.parallel ?? 1,
    reverse: request.reverse ?? false,
  });
}
