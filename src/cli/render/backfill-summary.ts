/**
 * The tables of `flow backfill`: with `--dry-run`, each date and what would happen to it and why; at the end, each
 * date that ran (logical date, status, duration, run id, failed tasks) and one line of totals.
 */
import type { ChalkInstance } from 'chalk';
import type { BackfillPlan, DateResult, PlannedDate } from '../../backfill/types.js';
import { formatDuration } from '../../util/duration.js';
import { shortTime } from './history-table.js';
import { paintStatus } from './status.js';
import { table } from './table.js';

export function dryRunLines(plan: BackfillPlan, color: ChalkInstance): string[] {
  const toRun = plan.dates.filter((date) => date.action === 'run').length;
  const head = `${color.bold(plan.pipeline)} backfill from ${shortTime(plan.from)} to ${shortTime(plan.to)} (${plan.timezone}), --rerun ${plan.rerun}: ${count(plan.dates.length, 'date')}, ${toRun} to run, ${plan.dates.length - toRun} to skip`;
  if (plan.dates.length === 0) return [head];
  const rows = [['logical date', 'action', 'why'].map((title) => color.dim(title))];
  for (const date of plan.dates) rows.push([shortTime(date.logical_date), date.action === 'run' ? color.cyan('run') : color.dim('skip'), why(date)]);
  return [head, ...table(rows)];
}

/** What history holds for a date, which is why it runs or not. */
function why(date: PlannedDate): string {
  if (date.status === null || date.run_id === null) return 'no run yet';
  const done = date.status === 'success' ? 'succeeded' : date.status === 'running' ? 'running' : date.status;
  return `${done} in run ${date.run_id}`;
}

export function backfillSummaryLines(pipeline: string, dates: DateResult[], elapsedMs: number, color: ChalkInstance): string[] {
  const ran = dates.filter((date) => date.action === 'run');
  const lines: string[] = [];
  if (ran.length > 0) {
    const rows = [['logical date', 'status', 'duration', 'run', 'failed'].map((title) => color.dim(title))];
    for (const date of ran) {
      rows.push([
        shortTime(date.logical_date),
        paintStatus(date.status ?? 'cancelled', color),
        date.duration_ms === null ? '-' : formatDuration(date.duration_ms),
        date.run_id ?? color.dim('not started'),
        color.red(date.failed_tasks.join(', ')),
      ]);
    }
    lines.push('', ...table(rows), '');
  }
  const started = ran.filter((date) => date.run_id !== null);
  const parts = [
    started.length === 0 ? 'none ran' : `${started.length} ran (${tally(started.map((date) => outcome(date.status)))})`,
    ...(ran.length > started.length ? [`${ran.length - started.length} not started`] : []),
  ];
  const skipped = dates.filter((date) => date.action === 'skip');
  if (skipped.length > 0) parts.push(`${skipped.length} skipped (${tally(skipped.map((date) => skipReason(date.status)))})`);
  lines.push(`${color.bold(pipeline)} backfill: ${count(dates.length, 'date')}: ${parts.join(', ')} in ${formatDuration(elapsedMs)}`);
  return lines;
}

function outcome(status: DateResult['status']): string {
  return status === 'success' ? 'succeeded' : status === 'interrupted' ? 'failed' : (status ?? 'cancelled');
}

function skipReason(status: DateResult['status']): string {
  return status === 'success' ? 'had succeeded' : status === 'running' ? 'running elsewhere' : status === null ? 'no run yet' : `${status} before`;
}

/** `5 succeeded, 1 failed`, in order of first appearance. */
function tally(words: string[]): string {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return [...counts].map(([word, n]) => `${n} ${word}`).join(', ');
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
