/** `flow history <run-id>`: the run, its tasks with attempts, and a small Gantt bar per task. */
import type { ChalkInstance } from 'chalk';
import { taskDurationMs, type RunRecord, type TaskRecord } from '../../store/record.js';
import { formatDuration } from '../../util/duration.js';
import { describeSlaMiss } from '../../runs/sla.js';
import { shortTime } from './history-table.js';
import { paintStatus } from './status.js';
import { table } from './table.js';

const BAR_WIDTH = 30;

export function runDetailLines(run: RunRecord, color: ChalkInstance, now: Date): string[] {
  const start = Date.parse(run.started_at);
  const end = run.ended_at === null ? now.getTime() : Date.parse(run.ended_at);
  const span = Math.max(1, end - start);
  const lines = [
    `${color.bold(run.pipeline)} run ${run.id}: ${paintStatus(run.status, color)}${run.note === undefined ? '' : ` (${run.note})`}`,
    `  trigger ${run.trigger}, logical date ${run.logical_date}`,
    `  started ${shortTime(run.started_at)}${run.ended_at === null ? '' : `, ended ${shortTime(run.ended_at)}`}, took ${formatDuration(end - start)}`,
    `  on ${run.host}, pid ${run.pid}`,
    ...(run.params === undefined ? [] : [`  params ${Object.entries(run.params).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}`]),
    ...(run.sla_misses ?? []).map((miss) => color.red(`  SLA: ${describeSlaMiss(miss)}, seen ${shortTime(miss.seen_at)}`)),
    '',
  ];
  const rows = [['task', 'status', 'attempts', 'duration', `0${' '.repeat(BAR_WIDTH - 1 - formatDuration(span).length)}${formatDuration(span)}`, 'why'].map((title) => color.dim(title))];
  for (const task of run.tasks) {
    const duration = taskDurationMs(task) ?? (task.status === 'running' && task.attempts[0] ? now.getTime() - Date.parse(task.attempts[0].started_at) : null);
    rows.push([
      task.id,
      paintStatus(task.status, color),
      String(task.attempts.length),
      duration === null ? '-' : formatDuration(duration),
      bar(task, start, span, now, color),
      task.reason ?? '',
    ]);
  }
  lines.push(...table(rows, '  '));
  const attempts = run.tasks.flatMap((task) => task.attempts.map((attempt) => ({ task, attempt })));
  if (attempts.length > 0) {
    lines.push('', color.dim('  attempts'));
    const attemptRows = attempts.map(({ task, attempt }) => [
      `${task.id}#${attempt.attempt}`,
      attempt.ended_at === null ? color.cyan('running') : attempt.error === null ? color.green('ok') : color.red(attempt.error),
      attempt.ended_at === null ? '' : formatDuration(Date.parse(attempt.ended_at) - Date.parse(attempt.started_at)),
      color.dim(attempt.log),
    ]);
    lines.push(...table(attemptRows, '    '));
  }
  const outputs = run.tasks.flatMap((task) => Object.entries(task.outputs ?? {}).map(([key, value]) => [`${task.id}.${key}`, oneLine(value)]));
  if (outputs.length > 0) {
    lines.push('', color.dim('  outputs'));
    lines.push(...table(outputs, '    '));
  }
  const hooks = run.hooks ?? [];
  if (hooks.length > 0) {
    lines.push('', color.dim('  hooks'));
    const hookRows = hooks.map((hook) => [
      hook.task === null ? `${hook.event} (${hook.source})` : `${hook.event} (${hook.task})`,
      hook.error === null ? color.green('ok') : color.red(hook.timed_out ? `timed out: ${hook.error}` : hook.error),
      formatDuration(hook.duration_ms),
      color.dim(hook.command.split('\n')[0] ?? ''),
    ]);
    lines.push(...table(hookRows, '    '));
  }
  return lines;
}

function bar(task: TaskRecord, start: number, span: number, now: Date, color: ChalkInstance): string {
  const first = task.attempts[0];
  if (first === undefined) return ' '.repeat(BAR_WIDTH);
  const last = task.attempts.at(-1);
  const from = Date.parse(first.started_at) - start;
  const to = (last?.ended_at == null ? now.getTime() : Date.parse(last.ended_at)) - start;
  const a = Math.min(BAR_WIDTH - 1, Math.floor((from / span) * BAR_WIDTH));
  const b = Math.max(a + 1, Math.min(BAR_WIDTH, Math.ceil((to / span) * BAR_WIDTH)));
  const paint = task.status === 'success' ? color.green : task.status === 'running' ? color.cyan : task.status === 'skipped' ? color.yellow : color.red;
  return color.dim('·'.repeat(a)) + paint('█'.repeat(b - a)) + color.dim('·'.repeat(BAR_WIDTH - b));
}

/** A value on one line of the table: its first line, at most 80 characters, saying when there is more. */
function oneLine(value: string): string {
  const lines = value.split('\n');
  const first = lines[0] ?? '';
  const clipped = first.length > 80 ? `${first.slice(0, 77)}...` : first;
  return lines.length > 1 ? `${clipped} (+${lines.length - 1} lines)` : clipped;
}
