/** The record of an instant the daemon did not run (overlap), so `flow history` shows it with the reason. */
import type { Trigger } from '../engine/events.js';
import { newRunId } from '../engine/run-id.js';
import type { RunServices } from '../runs/execute.js';
import type { RunRecord } from '../store/record.js';
import { summarize } from '../store/summary.js';
import { selfId } from '../util/proc.js';
import { isoWithOffset } from '../util/time.js';
import type { CatalogEntry } from './catalog.js';

export type SkippedRecord = RunRecord & { reason: string };

export async function recordSkipped(services: Pick<RunServices, 'store' | 'historyRecord'>, entry: CatalogEntry, instant: Date, trigger: Trigger, reason: string, now: Date = new Date()): Promise<SkippedRecord> {
  const owner = selfId();
  const at = isoWithOffset(now);
  const record: SkippedRecord = {
    id: newRunId(now),
    pipeline: entry.pipeline.name,
    file: entry.file,
    trigger,
    logical_date: isoWithOffset(instant, entry.zone),
    status: 'skipped',
    started_at: at,
    ended_at: at,
    duration_ms: 0,
    host: owner.host,
    pid: owner.pid,
    pid_start: owner.start,
    boot_id: owner.boot,
    tasks: [],
    hooks: [],
    reason,
  };
  await services.store.writeRun(record);
  await services.store.indexRun(summarize(record));
  await services.historyRecord?.(record);
  return record;
}
