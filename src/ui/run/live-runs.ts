/**
 * What the executor's events say of runs in flight, laid over their records as read from disk. A run's record lags
 * its events (task changes are written coalesced, up to 100 ms apart, and the final record just after the event),
 * while a page takes its stream cursor when it renders: a page read from disk alone could show a task as pending
 * whose start came before the cursor, and would never hear of it again. Each event sets absolute values (this
 * attempt started then, ended with that code; the task is now this), so laying them over a record that already has
 * them changes nothing. A run's events are kept from its (re)start until a minute after it ends.
 */
import type { ApiEvent } from '../../api/event-hub.js';
import type { RunStatus, TaskStatus } from '../../engine/events.js';
import type { AttemptRecord, RunRecord, TaskRecord } from '../../store/record.js';
import type { UiContext } from '../context.js';

const KEEP_AFTER_END_MS = 60_000;
/** A run with more events than this is no longer followed here (its record catches up within 100 ms anyway). */
const MAX_EVENTS = 20_000;

export class LiveRuns {
  private readonly runs = new Map<string, ApiEvent[]>();

  note(event: ApiEvent): void {
    if (event.kind === 'run-started') this.runs.set(event.run_id, []);
    const events = this.runs.get(event.run_id);
    if (events === undefined || events.length >= MAX_EVENTS) return;
    events.push(event);
    if (event.kind === 'run-finished') {
      const drop = setTimeout(() => {
        if (this.runs.get(event.run_id) === events) this.runs.delete(event.run_id);
      }, KEEP_AFTER_END_MS);
      drop.unref();
    }
  }

  /** The record with what its run's events said since it (re)started; the same object when there is nothing. */
  overlay(record: RunRecord): RunRecord {
    const events = this.runs.get(record.id);
    if (events === undefined || events.length === 0) return record;
    const run = structuredClone(record);
    const tasks = new Map(run.tasks.map((task) => [task.id, task]));
    const taskOf = (id: string): TaskRecord => {
      let task = tasks.get(id);
      if (task === undefined) {
        task = { id, status: 'pending', reason: null, attempts: [] };
        run.tasks.push(task);
        tasks.set(id, task);
      }
      return task;
    };
    for (const event of events) {
      const at = event.at;
      switch (event.kind) {
        case 'run-started':
          Object.assign(run, { status: 'running', ended_at: null, duration_ms: null });
          for (const id of (event.tasks as string[] | undefined) ?? []) taskOf(id);
          // A retry: the tasks it runs again are pending until their events below say otherwise.
          for (const id of (event.retry_of as string[] | null | undefined) ?? []) Object.assign(taskOf(id), { status: 'pending', reason: null });
          break;
        case 'task-started': {
          const task = taskOf(event.task as string);
          const attempt = attemptOf(task, event.attempt as number, at, event.log as string);
          if (attempt.ended_at === null) task.status = 'running';
          break;
        }
        case 'attempt-finished': {
          const attempt = attemptOf(taskOf(event.task as string), event.attempt as number, (event.started_at as string | undefined) ?? at, '');
          if (attempt.ended_at !== null) break;
          Object.assign(attempt, { ended_at: at, exit_code: event.exit_code ?? null, signal: event.signal ?? null, timed_out: event.timed_out === true, error: event.error ?? null });
          break;
        }
        case 'task-finished': {
          const task = taskOf(event.task as string);
          task.status = event.status as TaskStatus;
          task.reason = (event.reason as string | null) ?? null;
          break;
        }
        case 'run-finished':
          if (run.status === 'running') Object.assign(run, { status: event.status as RunStatus, ended_at: at, duration_ms: Date.parse(at) - Date.parse(run.started_at) });
          break;
      }
    }
    return run;
  }
}

const perUi = new WeakMap<UiContext, LiveRuns>();

/** The one LiveRuns of a UI app, following its API's events from the first view that asks. */
export function liveRunsOf(ui: UiContext): LiveRuns {
  let live = perUi.get(ui);
  if (live === undefined) {
    const made = new LiveRuns();
    ui.deps.api.subscribe((event) => made.note(event));
    perUi.set(ui, made);
    live = made;
  }
  return live;
}

function attemptOf(task: TaskRecord, number: number, startedAt: string, log: string): AttemptRecord {
  let attempt = task.attempts.find((entry) => entry.attempt === number);
  if (attempt === undefined) {
    attempt = { attempt: number, started_at: startedAt, ended_at: null, exit_code: null, signal: null, timed_out: false, log, pid: null, pid_start: null, error: null };
    task.attempts.push(attempt);
    task.attempts.sort((a, b) => a.attempt - b.attempt);
  }
  if (attempt.log === '' && log !== '') attempt.log = log;
  return attempt;
}
