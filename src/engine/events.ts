/**
 * Everything a run does, as one union keyed by `kind`. The same events feed the terminal, the history store, hooks
 * and (later) the web UI; sinks never call back into the executor.
 */
import type { Plan } from './plan.js';

/** How a run came to be; `api` is a run asked of the daemon (`flow trigger`, POST /api/v1/pipelines/{name}/trigger). */
export const TRIGGERS = ['manual', 'schedule', 'catchup', 'backfill', 'command', 'api'] as const;
export type Trigger = (typeof TRIGGERS)[number];
/** The statuses as lists too: the store checks files it reads back against these, so the two cannot drift. */
export const RUN_STATUSES = ['running', 'success', 'failed', 'cancelled', 'interrupted', 'skipped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TASK_STATUSES = ['pending', 'running', 'success', 'failed', 'upstream_failed', 'skipped', 'cancelled', 'interrupted'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** How one attempt ended. Exactly one of the reasons applies; `describeOutcome` names it. */
export interface AttemptOutcome {
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  cancelled: boolean;
  /** The attempt could not start, or a function task threw: one line. */
  error: string | undefined;
  /** Exit code 127 or 126 and the shell said why in the log's last lines (otherwise the task chose that code). */
  shell?: 'not-found' | 'not-executable' | undefined;
  /** The task ends `skipped`, for this reason: its skip_exit_code, a `when:` that said no, `context.skip()`. */
  skip?: string | undefined;
  /** A short-circuit task's command said no (`exit code 1`): the task succeeds and its downstream tasks are skipped. */
  shortCircuit?: string | undefined;
  /** A branch task's choice: the ids of the direct downstream tasks that run. */
  branch?: string[] | undefined;
  /** What the task wrote to $FLOW_OUTPUT or returned. */
  outputs?: Record<string, string> | undefined;
  /** A timed-out attempt: when its timeout fell, and how long its process group took to end after that. */
  timedOutAt?: Date | undefined;
  killGraceMs?: number | undefined;
  /**
   * The attempt was lost, not ended by its command: its worker died or lost its lock on the job (cluster mode).
   * Why, in a few words; the task ends `interrupted` when no retry follows.
   */
  interrupted?: string | undefined;
}

export interface RunInfo {
  runId: string;
  pipeline: string;
  file: string;
  trigger: Trigger;
  logicalDate: string;
  plan: Plan;
  /**
   * Set when the run continues one that already ended (`flow retry`): the tasks that run again, as new attempts, and
   * the run's record as history holds it. Sinks that keep a record (history, hooks) continue that record instead of
   * starting a new one. The engine passes it through unread: its shape belongs to src/store/record.ts.
   */
  resume?: { tasks: string[]; record: unknown } | undefined;
  /** The run's params, checked and with defaults (absent: the pipeline declares none). */
  params?: Record<string, string | number | boolean> | undefined;
}

export type FlowEvent =
  | { kind: 'run-started'; at: Date; run: RunInfo }
  | {
      kind: 'task-started';
      at: Date;
      task: string;
      attempt: number;
      log: string;
      /** Process group (the leader's pid) of a shell attempt, and the leader's start time (see util/proc.ts). */
      pid: number | undefined;
      pidStart: number | undefined;
    }
  | {
      kind: 'attempt-finished';
      at: Date;
      task: string;
      attempt: number;
      startedAt: Date;
      log: string;
      outcome: AttemptOutcome;
      /** Why it failed, in one line; undefined when it succeeded. */
      reason: string | undefined;
      /** When another attempt follows: how long until it starts. */
      retryInMs: number | undefined;
    }
  | {
      kind: 'task-finished';
      at: Date;
      task: string;
      status: TaskStatus;
      attempts: number;
      reason: string | undefined;
      /** Set when the task succeeded and gave outputs, chose a branch, or short-circuited. */
      outputs?: Record<string, string> | undefined;
      branch?: string[] | undefined;
      shortCircuited?: boolean | undefined;
    }
  | {
      kind: 'run-finished';
      at: Date;
      status: RunStatus;
      failed: string[];
      /** Said of a run whose status alone would mislead: `every task was skipped`. */
      note?: string | undefined;
    }
  | { kind: 'hook-finished'; at: Date; hook: HookResult }
  | { kind: 'sla-missed'; at: Date; miss: SlaMiss };

/** A deadline of `sla:` that a scheduled run (or one of its tasks) missed. */
export interface SlaMiss {
  /** `start_within` or `finish_within`. */
  deadline: 'start_within' | 'finish_within';
  /** The task whose deadline it was, or null for the run's. */
  task: string | null;
  /** The scheduled instant plus the deadline (ISO 8601). */
  due: string;
  /** When flow saw it missed (ISO 8601). */
  seen_at: string;
}

/** How a hook ran; recorded with the run, never changing its outcome. */
export interface HookResult {
  event: 'on_failure' | 'on_retry' | 'on_success' | 'on_start' | 'on_sla_miss';
  /** The task it fired for, or null for a run-level hook. */
  task: string | null;
  command: string;
  /** `pipeline` (the pipeline file), `task`, or `global` (the config file). */
  source: 'pipeline' | 'task' | 'global';
  started_at: string;
  duration_ms: number;
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  /** Why it failed in one line: the first line of its stderr, `timed out after 2s`, or why it could not start. */
  error: string | null;
  /** Its standard output. */
  log: string;
}

export type EventSink = (event: FlowEvent) => void;
