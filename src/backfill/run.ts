/**
 * Runs a backfill's plan: each date that is to run becomes one run with trigger `backfill` and that logical date,
 * through executeRun like any other run (recorded, hooks fired), at most `parallel` dates at once, each bounded by
 * the pipeline's own concurrency. A stop starts no more dates and stops the running ones as `flow run` does.
 */
import type { EventSink } from '../engine/events.js';
import { planRun } from '../engine/plan.js';
import type { Pipeline } from '../pipeline/types.js';
import { executeRun, type RunServices } from '../runs/execute.js';
import type { BackfillEvent, BackfillPlan, DateResult, PlannedDate } from './types.js';

export interface BackfillRunOptions {
  pipeline: Pipeline;
  plan: BackfillPlan;
  /** Sinks for every run's events (say, hook failures on the terminal). */
  sinks?: EventSink[];
  onEvent?: (event: BackfillEvent) => void;
  signal?: AbortSignal | undefined;
  force?: AbortSignal | undefined;
  now?: () => Date;
  /** Values for the pipeline's params (`--param`), the same for every date. */
  params?: Readonly<Record<string, string>> | undefined;
}

export interface BackfillResult {
  /** In the plan's order. Dates a stop kept from starting are `cancelled`, with no run. */
  dates: DateResult[];
}

export async function runBackfill(services: RunServices, options: BackfillRunOptions): Promise<BackfillResult> {
  const { pipeline, plan, signal } = options;
  const now = options.now ?? (() => new Date());
  const emit = options.onEvent ?? (() => undefined);
  const runPlan = planRun(pipeline);
  const results: DateResult[] = plan.dates.map((date) => ({
    ...date,
    status: date.action === 'skip' ? date.status : 'cancelled',
    run_id: date.action === 'skip' ? date.run_id : null,
    duration_ms: null,
    failed_tasks: [],
  }));
  const todo = plan.dates.flatMap((date, index) => (date.action === 'run' ? [{ date, index }] : []));
  let next = 0;
  let failure: { error: unknown } | undefined;

  const runDate = async (date: PlannedDate, index: number): Promise<void> => {
    emit({ kind: 'date-started', at: now(), logical_date: date.logical_date });
    const { record } = await executeRun(services, {
      pipeline,
      plan: runPlan,
      trigger: 'backfill',
      logicalDate: new Date(Date.parse(date.logical_date)),
      sinks: options.sinks,
      params: options.params,
      signal,
      force: options.force,
    });
    const result: DateResult = {
      logical_date: date.logical_date,
      action: 'run',
      status: record.status,
      run_id: record.id,
      duration_ms: record.duration_ms,
      failed_tasks: record.tasks.filter((task) => task.status === 'failed').map((task) => task.id),
    };
    results[index] = result;
    emit({ kind: 'date-finished', at: now(), result });
  };

  // Each worker takes the next date when its last one ends; a date that could not even be recorded stops them all.
  const worker = async (): Promise<void> => {
    while (next < todo.length && signal?.aborted !== true && failure === undefined) {
      const { date, index } = todo[next++] as (typeof todo)[number];
      try {
        await runDate(date, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, plan.parallel), todo.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return { dates: results };
}
