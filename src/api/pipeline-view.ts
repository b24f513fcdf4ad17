/**
 * What `GET /api/v1/pipelines` shows of one loaded pipeline, built in one place for the daemon's catalog and for
 * `flow ui` without a daemon, so the two cannot drift.
 */
import type { CatalogEntry } from '../daemon/catalog.js';
import { nextFireTimes } from '../schedule/fire-times.js';
import type { RunSummary } from '../store/summary.js';
import { isoWithOffset } from '../util/time.js';
import type { PipelineView } from './deps.js';

export interface ViewFacts {
  /** When each paused pipeline was paused (`paused.json`). */
  paused: Map<string, Date>;
  /** The newest run of each pipeline, from the index. */
  last: Map<string, RunSummary>;
  /** Runs of this pipeline in flight. */
  activeRuns: number;
  now: Date;
  /** How many next fire times to list. */
  count: number;
}

export function pipelineView(entry: CatalogEntry, facts: ViewFacts): PipelineView {
  const { pipeline } = entry;
  const next = entry.schedule === undefined || entry.schedule.reboot ? [] : nextFireTimes(entry.schedule, entry.zone, facts.now, facts.count);
  const pausedAt = facts.paused.get(pipeline.name);
  return {
    name: pipeline.name,
    file: entry.file,
    description: pipeline.description ?? null,
    schedule: pipeline.schedule ?? null,
    timezone: entry.zone,
    next: next.map((instant) => isoWithOffset(instant, entry.zone)),
    paused: pausedAt !== undefined,
    paused_at: pausedAt === undefined ? null : isoWithOffset(pausedAt),
    tasks: pipeline.tasks.map((task) => task.id),
    params: pipeline.params,
    error: entry.error ?? null,
    active_runs: facts.activeRuns,
    last_run: facts.last.get(pipeline.name) ?? null,
  };
}

/** The newest run of each pipeline, from the index's runs (oldest first: the last one seen per pipeline wins). */
export function lastRunByPipeline(runs: readonly RunSummary[]): Map<string, RunSummary> {
  return new Map(runs.map((run) => [run.pipeline, run]));
}
