/** `flow history`: one row per run, newest first. */
import type { ChalkInstance } from 'chalk';
import type { RunRecord } from '../../store/record.js';
import { formatDuration } from '../../util/duration.js';
import { paintStatus } from './status.js';
import { table } from './table.js';

export function historyLines(runs: RunRecord[], color: ChalkInstance, now: Date): string[] {
  const rows = [['run', 'pipeline', 'trigger', 'logical date', 'started', 'duration', 'status', 'failed'].map((title) => color.dim(title))];
  for (const run of runs) {
    const duration = run.duration_ms ?? (run.status === 'running' ? now.getTime() - Date.parse(run.started_at) : null);
    const failed = run.tasks.filter((task) => task.status === 'failed' || task.status === 'interrupted').map((task) => task.id);
    rows.push([
      run.id,
      run.pipeline,
      run.trigger,
      shortTime(run.logical_date),
      shortTime(run.started_at),
      duration === null ? '-' : formatDuration(duration),
      paintStatus(run.status, color) + ((run.sla_misses?.length ?? 0) > 0 ? color.red(' (SLA missed)') : ''),
      failed.length === 0 ? '' : color.red(failed.join(', ')),
    ]);
  }
  return table(rows);
}

/** `2026-03-29T03:00:00.123+02:00` → `2026-03-29 03:00:00+02:00` */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+(?=[+-Z])/, '');
}
