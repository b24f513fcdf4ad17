/**
 * Every task of a run with every attempt: when it started, how long it took, exit code, signal, why it failed, and
 * a link to its log. A task that never ran shows its status and why (upstream failed, skipped by a branch…).
 */
import type { FC } from 'hono/jsx';
import type { RunRecord, TaskRecord } from '../../store/record.js';
import { formatDuration } from '../../util/duration.js';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { statusClass } from '../components/status.js';
import { relative } from '../components/time.js';
import { logHref, taskAnchor } from '../routes/paths.js';
import { attemptStatus } from './gantt.js';

export const AttemptsTable: FC<{ run: RunRecord; now: Date }> = ({ run, now }) => (
  <table class="list attempts">
    <thead>
      <tr>
        <th>Task</th>
        <th>#</th>
        <th>Status</th>
        <th>Started</th>
        <th>Took</th>
        <th>Exit</th>
        <th>Why</th>
        <th>Log</th>
      </tr>
    </thead>
    <tbody>
      {run.tasks.map((task) => TaskRows({ run, task, now }))}
    </tbody>
  </table>
);

/**
 * A task's rows, written with hono's `html` template (every interpolated string escaped, as JSX does): a run of 1000
 * tasks has 8000 cells, and a template costs a fraction of as many JSX elements.
 */
function TaskRows({ run, task, now }: { run: RunRecord; task: TaskRecord; now: Date }): HtmlEscapedString {
  if (task.attempts.length === 0) {
    return html`<tr id="${taskAnchor(task.id)}" data-task="${task.id}"><td data-label="Task">${task.id}</td><td data-label="#" class="muted">—</td><td data-label="Status">${badge(task.status)}</td><td data-label="Started" class="muted">never</td><td data-label="Took"></td><td data-label="Exit"></td><td data-label="Why">${task.reason ?? ''}</td><td data-label="Log"></td></tr>` as HtmlEscapedString;
  }
  const running = run.status === 'running';
  return html`${task.attempts.map((attempt, index) => {
    const last = index === task.attempts.length - 1;
    const status = attemptStatus(task, attempt, last, running);
    const end = attempt.ended_at === null ? (running ? now.getTime() : null) : Date.parse(attempt.ended_at);
    const took = end === null ? '' : `${formatDuration(end - Date.parse(attempt.started_at))}${attempt.ended_at === null ? ' so far' : ''}`;
    const why = [attempt.error, last && task.reason !== attempt.error ? task.reason : null].filter((text) => text !== null && text !== '').join('; ');
    const anchor = index === 0 ? html` id="${taskAnchor(task.id)}"` : '';
    const exit = html`${attempt.exit_code === null ? '' : html`<code>${attempt.exit_code}</code>`}${attempt.signal === null ? '' : html`<code>${attempt.signal}</code>`}${attempt.timed_out ? html`<span class="badge s-timed_out">timed out</span>` : ''}`;
    const started = new Date(attempt.started_at);
    const when = Number.isNaN(started.getTime()) ? attempt.started_at : html`<time datetime="${started.toISOString()}" title="${attempt.started_at}">${relative(started, now)}</time>`;
    return html`<tr${anchor} data-task="${task.id}" data-attempt="${attempt.attempt}"><td data-label="Task">${index === 0 ? task.id : ''}</td><td data-label="#">${attempt.attempt}</td><td data-label="Status">${badge(status)}</td><td data-label="Started">${when}</td><td data-label="Took">${took}</td><td data-label="Exit">${exit}</td><td data-label="Why">${why}</td><td data-label="Log"><a href="${logHref(run.id, task.id, attempt.attempt)}">log</a></td></tr>`;
  })}` as HtmlEscapedString;
}

function badge(status: string): HtmlEscapedString {
  return html`<span class="badge ${statusClass(status)}">${status.replace('_', ' ')}</span>` as HtmlEscapedString;
}
