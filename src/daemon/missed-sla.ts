/**
 * A scheduled instant that never ran — skipped because the previous run still went, paused, or passed while the
 * daemon was down — is a missed start for a pipeline with deadlines (`sla:`): its skipped record gets the miss
 * (due at the instant plus the run's `start_within`, or at the instant itself when only other deadlines are set)
 * and `on_sla_miss` fires once for it, with the usual context, as soon as the daemon sees it.
 */
import type { FlowEvent, SlaMiss } from '../engine/events.js';
import { HookRunner } from '../notify/hook-runner.js';
import type { RunServices } from '../runs/execute.js';
import { hasDeadlines } from '../runs/sla.js';
import { summarize } from '../store/summary.js';
import { isoWithOffset } from '../util/time.js';
import type { CatalogEntry } from './catalog.js';
import type { SkippedRecord } from './skipped.js';

export function watchesStarts(entry: CatalogEntry): boolean {
  return hasDeadlines(entry.pipeline, 'schedule');
}

export function missedStartOf(entry: CatalogEntry, instant: Date, now: Date = new Date()): SlaMiss {
  return {
    deadline: 'start_within',
    task: null,
    due: isoWithOffset(new Date(instant.getTime() + (entry.pipeline.sla?.startWithinMs ?? 0)), entry.zone),
    seen_at: isoWithOffset(now),
  };
}

/** Records the missed start on `record` (already written) and fires the hook; `also` counts other instants missed with it. */
export async function noteMissedStart(services: RunServices, entry: CatalogEntry, record: SkippedRecord, instant: Date, also = 0, now: Date = new Date()): Promise<void> {
  if (!watchesStarts(entry)) return;
  const { pipeline } = entry;
  const miss = missedStartOf(entry, instant, now);
  const hooks = new HookRunner({
    pipeline,
    global: services.config,
    baseEnv: { ...services.env, ...(also > 0 ? { FLOW_SLA_ALSO_MISSED: String(also) } : {}) },
    logDirOf: (runId) => services.store.logDirOf(pipeline.name, runId),
    emit: (event: FlowEvent) => {
      if (event.kind === 'hook-finished') (record.hooks ??= []).push(event.hook);
    },
  });
  (record.sla_misses ??= []).push(miss);
  hooks.seed(record);
  hooks.sink({ kind: 'sla-missed', at: now, miss });
  await hooks.idle();
  await services.store.writeRun(record);
  await services.store.indexRun(summarize(record));
  await services.historyRecord?.(record);
}
