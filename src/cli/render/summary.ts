/**
 * The end of `flow run`: each task's status, attempts and duration, then for each failed task the one-line reason
 * (`Task "load" timed out after 30s: ./load.sh`) and the last lines of its output.
 */
import type { ChalkInstance } from 'chalk';
import { failureHeadline } from '../../engine/outcome.js';
import type { Plan } from '../../engine/plan.js';
import { tailLines } from '../../store/log-files.js';
import { taskDurationMs, type RunRecord } from '../../store/record.js';
import { formatDuration } from '../../util/duration.js';
import { paintStatus } from './status.js';
import { table } from './table.js';

const TAIL = 10;

export function summaryLines(record: RunRecord, plan: Plan, color: ChalkInstance): string[] {
  const rows = [['task', 'status', 'attempts', 'duration'].map((title) => color.dim(title))];
  for (const task of record.tasks) {
    const duration = taskDurationMs(task);
    rows.push([task.id, paintStatus(task.status, color), String(task.attempts.length), duration === null ? '-' : formatDuration(duration)]);
  }
  const took = record.duration_ms === null ? '' : ` in ${formatDuration(record.duration_ms)}`;
  const note = record.note === undefined ? '' : ` (${record.note})`;
  const lines = ['', `${color.bold(record.pipeline)} ${paintStatus(record.status, color)}${note}${took} ${color.dim(`(run ${record.id})`)}`, ...table(rows, '  ')];

  for (const task of record.tasks.filter((entry) => entry.status === 'failed')) {
    const command = plan.tasks.find((entry) => entry.id === task.id)?.command;
    const last = task.attempts.at(-1);
    lines.push('', color.red(failureHeadline(task.id, task.reason ?? 'failed', command)));
    if (last !== undefined && last.log !== '') {
      const tail = tailLines(last.log, TAIL);
      lines.push(...tail.map((line) => color.dim('  | ') + line));
      lines.push(color.dim(`  log: ${last.log}`));
    }
  }
  return lines;
}
