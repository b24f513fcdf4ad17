/**
 * Every task of a run with every attempt: when it started, how long it took, exit code, signal, why it failed, and
 * a link to its log. A task that never ran shows its status and why (upstream failed, skipped by a branch…).
 */
import type { FC } from 'hono/jsx';
import type { RunRecord, TaskRecord } from '../../store/record.js';
import { formatDuration } from '../../util/duration.js';
import { StatusBadge } from '../components/status.js';
import { Time } from '../components/time.js';
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
      {run.tasks.map((task) => (
        <TaskRows run={run} task={task} now={now} />
      ))}
    </tbody>
  </table>
);

const TaskRows: FC<{ run: RunRecord; task: TaskRecord; now: Date }> = ({ run, task, now }) => {
  if (task.attempts.length === 0) {
    return (
      <tr id={taskAnchor(task.id)} data-task={task.id}>
        <td data-label="Task">{task.id}</td>
        <td data-label="#" class="muted">
          —
        </td>
        <td data-label="Status">
          <StatusBadge status={task.status} />
        </td>
        <td data-label="Started" class="muted">
          never
        </td>
        <td data-label="Took"></td>
        <td data-label="Exit"></td>
        <td data-label="Why">{task.reason ?? ''}</td>
        <td data-label="Log"></td>
      </tr>
    );
  }
  const running = run.status === 'running';
  return (
    <>
      {task.attempts.map((attempt, index) => {
        const last = index === task.attempts.length - 1;
        const status = attemptStatus(task, attempt, last, running);
        const end = attempt.ended_at === null ? (running ? now.getTime() : null) : Date.parse(attempt.ended_at);
        const took = end === null ? null : end - Date.parse(attempt.started_at);
        const why = [attempt.error, last && task.reason !== attempt.error ? task.reason : null].filter((text) => text !== null && text !== '').join('; ');
        return (
          <tr id={index === 0 ? taskAnchor(task.id) : undefined} data-task={task.id} data-attempt={attempt.attempt}>
            <td data-label="Task">{index === 0 ? task.id : ''}</td>
            <td data-label="#">{attempt.attempt}</td>
            <td data-label="Status">
              <StatusBadge status={status} />
            </td>
            <td data-label="Started">
              <Time iso={attempt.started_at} now={now} />
            </td>
            <td data-label="Took">{took === null ? '' : `${formatDuration(took)}${attempt.ended_at === null ? ' so far' : ''}`}</td>
            <td data-label="Exit">
              {attempt.exit_code !== null && <code>{attempt.exit_code}</code>}
              {attempt.signal !== null && <code>{attempt.signal}</code>}
              {attempt.timed_out && <span class="badge s-timed_out">timed out</span>}
            </td>
            <td data-label="Why">{why}</td>
            <td data-label="Log">
              <a href={logHref(run.id, task.id, attempt.attempt)}>log</a>
            </td>
          </tr>
        );
      })}
    </>
  );
};
