/**
 * The run record: what history keeps of a run, in the stable snake_case shape that `--json` prints. It is built from
 * FlowEvents by one reducer, so the terminal summary, the history file and hooks all see the same facts.
 */
import type { AttemptOutcome, FlowEvent, HookResult, RunInfo, RunStatus, SlaMiss, TaskStatus, Trigger } from '../engine/events.js';
import type { RunResume } from '../engine/run.js';
import { selfId, type ProcessId } from '../util/proc.js';
import { isoWithOffset } from '../util/time.js';

export interface AttemptRecord {
  attempt: number;
  started_at: string;
  ended_at: string | null;
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  /** Path of the attempt's log file. */
  log: string;
  /** Process group of a shell attempt, so a crashed runner's tasks can be found and ended. */
  pid: number | null;
  /** Start time of that group's leader (clock ticks since boot), so a reused pid is never taken for it. */
  pid_start: number | null;
  /** Why it failed, in one line (`exit code 3`, `timed out after 30s`); null when it succeeded or is running. */
  error: string | null;
  /** A timed-out attempt: how long its process group took to end after SIGTERM (its `ended_at` is the timeout). */
  kill_grace_ms?: number;
}

export interface TaskRecord {
  id: string;
  status: TaskStatus;
  /** Why the task ended as it did when it did not run or did not succeed. */
  reason: string | null;
  attempts: AttemptRecord[];
  /** What it wrote to $FLOW_OUTPUT or returned (absent: nothing). */
  outputs?: Record<string, string>;
  /** A branch task's choice: the direct downstream tasks it named. */
  branch?: string[];
  /** A short-circuit task whose command said no. */
  short_circuited?: boolean;
}

export interface RunRecord {
  id: string;
  pipeline: string;
  file: string;
  trigger: Trigger;
  logical_date: string;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  /** The process that owns the run: host, pid, its start time and the boot it runs in. */
  host: string;
  pid: number;
  pid_start: number | null;
  boot_id: string | null;
  tasks: TaskRecord[];
  /** Every hook that ran for this run, in the order they ended. */
  hooks: HookResult[];
  /** Deadlines of `sla:` it missed, in the order they were seen; absent when none. */
  sla_misses?: SlaMiss[];
  /** Said of a run whose status alone would mislead (`every task was skipped`); absent otherwise. */
  note?: string;
  /** The run's params (`--param`, with the pipeline's defaults); absent when its pipeline declares none. */
  params?: Record<string, string | number | boolean>;
  /** Each `flow retry` of this run, oldest first; absent when it was never retried. */
  retried?: RetryRecord[];
}

/**
 * One `flow retry` of a run. The run keeps its `started_at`; its `ended_at` becomes the retry's end and
 * `duration_ms` still spans the two, so the time the retries themselves took is read here.
 */
export interface RetryRecord {
  started_at: string;
  ended_at: string | null;
  /** The tasks it ran again. */
  tasks: string[];
  /** The run's status before this retry. */
  previous_status: RunStatus;
}

export function isoTime(at: Date): string {
  return isoWithOffset(at);
}

/** Applies one event to a record (created by `run-started`). Returns the same record, changed in place. */
export function applyEvent(record: RunRecord | undefined, event: FlowEvent, owner: ProcessId = selfId()): RunRecord | undefined {
  if (event.kind === 'run-started') {
    if (event.run.resume !== undefined) return reopen(event.run.resume.record as RunRecord, event.run, event.at, owner);
    return {
      id: event.run.runId,
      pipeline: event.run.pipeline,
      file: event.run.file,
      trigger: event.run.trigger,
      logical_date: event.run.logicalDate,
      status: 'running',
      started_at: isoTime(event.at),
      ended_at: null,
      duration_ms: null,
      host: owner.host,
      pid: owner.pid,
      pid_start: owner.start,
      boot_id: owner.boot,
      ...(event.run.params === undefined ? {} : { params: event.run.params }),
      tasks: event.run.plan.tasks.map((task) => ({ id: task.id, status: 'pending', reason: null, attempts: [] })),
      hooks: [],
    };
  }
  if (record === undefined) return undefined;
  switch (event.kind) {
    case 'task-started': {
      const task = findTask(record, event.task);
      task.status = 'running';
      task.attempts.push({
        attempt: event.attempt,
        started_at: isoTime(event.at),
        ended_at: null,
        exit_code: null,
        signal: null,
        timed_out: false,
        log: event.log,
        pid: event.pid ?? null,
        pid_start: event.pidStart ?? null,
        error: null,
      });
      break;
    }
    case 'attempt-finished': {
      const attempt = findTask(record, event.task).attempts.find((entry) => entry.attempt === event.attempt);
      if (attempt !== undefined) finishAttempt(attempt, event.at, event.outcome, event.reason);
      break;
    }
    case 'task-finished': {
      const task = findTask(record, event.task);
      task.status = event.status;
      task.reason = event.reason ?? null;
      // A task run again by `flow retry` gives its outputs and choices anew.
      delete task.outputs;
      delete task.branch;
      delete task.short_circuited;
      if (event.outputs !== undefined) task.outputs = event.outputs;
      if (event.branch !== undefined) task.branch = event.branch;
      if (event.shortCircuited === true) task.short_circuited = true;
      break;
    }
    case 'hook-finished':
      (record.hooks ??= []).push(event.hook);
      break;
    case 'sla-missed':
      (record.sla_misses ??= []).push(event.miss);
      break;
    case 'run-finished': {
      record.status = event.status;
      if (event.note !== undefined) record.note = event.note;
      else delete record.note;
      record.ended_at = isoTime(event.at);
      record.duration_ms = event.at.getTime() - Date.parse(record.started_at);
      const retry = record.retried?.at(-1);
      if (retry !== undefined && retry.ended_at === null) retry.ended_at = record.ended_at;
      break;
    }
  }
  return record;
}

/**
 * A retry continues the run's own record (a copy: every sink keeps its own): running again, owned by this process
 * (so crash recovery knows whom to check), with the tasks that run again back to pending and their attempts kept.
 */
function reopen(prior: RunRecord, run: RunInfo, at: Date, owner: ProcessId): RunRecord {
  const record = structuredClone(prior);
  const rerun = new Set(run.resume?.tasks ?? []);
  (record.retried ??= []).push({ started_at: isoTime(at), ended_at: null, tasks: [...rerun], previous_status: record.status });
  Object.assign(record, { status: 'running', ended_at: null, duration_ms: null, host: owner.host, pid: owner.pid, pid_start: owner.start, boot_id: owner.boot });
  for (const task of record.tasks) {
    if (!rerun.has(task.id)) continue;
    task.status = 'pending';
    task.reason = null;
  }
  return record;
}

/** What the engine needs to continue a recorded run: its id and logical date, and each task's state and attempts. */
export function resumeOf(record: RunRecord, tasks: string[]): RunResume {
  const prior = Object.fromEntries(
    record.tasks.map((task) => [
      task.id,
      {
        status: task.status,
        attempts: Math.max(0, ...task.attempts.map((attempt) => attempt.attempt)),
        outputs: task.outputs,
        branch: task.branch,
        shortCircuited: task.short_circuited,
      },
    ]),
  );
  return { runId: record.id, logicalDate: record.logical_date, tasks, prior, record };
}

function finishAttempt(attempt: AttemptRecord, at: Date, outcome: AttemptOutcome, reason: string | undefined): void {
  // A timed-out attempt ended at its timeout; the kill grace that followed is recorded apart.
  attempt.ended_at = isoTime(outcome.timedOutAt ?? at);
  if (outcome.timedOutAt !== undefined) attempt.kill_grace_ms = outcome.killGraceMs ?? 0;
  attempt.exit_code = outcome.exitCode ?? null;
  attempt.signal = outcome.signal ?? null;
  attempt.timed_out = outcome.timedOut;
  attempt.error = reason ?? null;
}

/** Task lookup by id without a scan per event (runs may hold thousands of tasks). */
const taskIndex = new WeakMap<RunRecord, Map<string, TaskRecord>>();

function findTask(record: RunRecord, id: string): TaskRecord {
  let index = taskIndex.get(record);
  if (index === undefined || index.size !== record.tasks.length) {
    index = new Map(record.tasks.map((entry) => [entry.id, entry]));
    taskIndex.set(record, index);
  }
  let task = index.get(id);
  if (task === undefined) {
    task = { id, status: 'pending', reason: null, attempts: [] };
    record.tasks.push(task);
    index.set(id, task);
  }
  return task;
}

/** Milliseconds from a task's first start to its last end (null while it has not ended or never ran). */
export function taskDurationMs(task: TaskRecord): number | null {
  const first = task.attempts[0];
  const last = task.attempts.at(-1);
  if (first === undefined || last?.ended_at == null) return null;
  return Date.parse(last.ended_at) - Date.parse(first.started_at);
}
