/**
 * A run's attempts as bars on one time axis, from the recorded attempt times: one row per task that started, one bar
 * per attempt (retries sit side by side on their task's row). An attempt still running ends at `now`.
 */
import type { AttemptRecord, RunRecord, TaskRecord } from '../../store/record.js';

export interface GanttBar {
  task: string;
  attempt: number;
  /** Milliseconds from the run's first attempt. */
  start: number;
  end: number;
  status: string;
  running: boolean;
}

export interface GanttRow {
  task: string;
  bars: GanttBar[];
}

export interface GanttData {
  rows: GanttRow[];
  /** The first attempt's start (epoch ms) and the whole span in ms. */
  origin: number;
  span: number;
}

export function ganttOf(run: RunRecord, now: number): GanttData {
  const started = run.tasks.filter((task) => task.attempts.length > 0);
  const starts = started.map((task) => Date.parse((task.attempts[0] as AttemptRecord).started_at));
  const origin = starts.length === 0 ? Date.parse(run.started_at) : Math.min(...starts);
  const rows = started.map((task) => ({
    task: task.id,
    bars: task.attempts.map((attempt, index): GanttBar => {
      const begin = Date.parse(attempt.started_at);
      const running = attempt.ended_at === null && run.status === 'running';
      const finish = attempt.ended_at === null ? (running ? now : begin) : Date.parse(attempt.ended_at);
      return {
        task: task.id,
        attempt: attempt.attempt,
        start: begin - origin,
        end: Math.max(begin, finish) - origin,
        status: attemptStatus(task, attempt, index === task.attempts.length - 1, run.status === 'running'),
        running,
      };
    }),
  }));
  rows.sort((a, b) => (a.bars[0]?.start ?? 0) - (b.bars[0]?.start ?? 0));
  const span = Math.max(1, ...rows.flatMap((row) => row.bars.map((bar) => bar.end)));
  return { rows, origin, span };
}

/**
 * An attempt's own outcome: the task's status for its last attempt when that says more (skipped, cancelled,
 * interrupted), otherwise success or failed from the attempt itself.
 */
export function attemptStatus(task: TaskRecord, attempt: AttemptRecord, last: boolean, runRunning: boolean): string {
  if (attempt.ended_at === null) return runRunning ? 'running' : 'interrupted';
  if (last && ['skipped', 'cancelled', 'interrupted', 'success'].includes(task.status)) return task.status;
  return attempt.error === null && attempt.exit_code !== null && attempt.exit_code === 0 && !attempt.timed_out ? 'success' : 'failed';
}
