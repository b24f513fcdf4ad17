/**
 * What a hook is told, through its environment only (never its command text): FLOW_EVENT, FLOW_PIPELINE,
 * FLOW_RUN_ID, FLOW_TASK, FLOW_ATTEMPT, FLOW_STATUS, FLOW_EXIT_CODE, FLOW_SIGNAL, FLOW_ERROR, FLOW_LOG_FILE,
 * FLOW_DURATION_MS, FLOW_LOGICAL_DATE, FLOW_TRIGGER and, for run-level hooks, FLOW_FAILED_TASKS and FLOW_SKIPPED_TASKS. Its stdin carries
 * the last 100 lines of the attempt's log.
 */
import type { SlaMiss } from '../engine/events.js';
import type { HookEvent } from '../pipeline/types.js';
import { tailLines } from '../store/log-files.js';
import type { AttemptRecord, RunRecord, TaskRecord } from '../store/record.js';

export const LOG_TAIL_LINES = 100;

export interface HookContext {
  env: Record<string, string>;
  stdin: string;
}

/** Context of a task-level event (or of a run-level on_retry, which names the task that is retried). */
export function taskContext(event: HookEvent, run: RunRecord, task: TaskRecord, attempt: AttemptRecord | undefined): HookContext {
  const first = task.attempts[0];
  const end = attempt?.ended_at ?? null;
  return {
    env: {
      ...runVariables(event, run),
      FLOW_TASK: task.id,
      FLOW_ATTEMPT: attempt === undefined ? '' : String(attempt.attempt),
      FLOW_STATUS: event === 'on_retry' ? 'retrying' : task.status,
      ...attemptVariables(attempt),
      FLOW_DURATION_MS: first === undefined || end === null ? '0' : String(Date.parse(end) - Date.parse(first.started_at)),
    },
    stdin: attempt === undefined ? '' : logTail(attempt.log),
  };
}

/** Context of a run-level event; for a failed run, FLOW_TASK and the log tail are those of the first failed task. */
export function runContext(event: HookEvent, run: RunRecord): HookContext {
  const failed = run.tasks.filter((task) => task.status === 'failed');
  const culprit = failed[0];
  const attempt = culprit?.attempts.at(-1);
  return {
    env: {
      ...runVariables(event, run),
      FLOW_TASK: culprit?.id ?? '',
      FLOW_ATTEMPT: attempt === undefined ? '' : String(attempt.attempt),
      FLOW_STATUS: run.status,
      ...attemptVariables(attempt),
      FLOW_DURATION_MS: String(run.duration_ms ?? 0),
      FLOW_FAILED_TASKS: failed.map((task) => task.id).join(','),
      FLOW_SKIPPED_TASKS: run.tasks.filter((task) => task.status === 'skipped').map((task) => task.id).join(','),
    },
    stdin: attempt === undefined ? '' : logTail(attempt.log),
  };
}

/** Context of `on_sla_miss`: the run's, and which deadline was missed (FLOW_SLA_TASK is empty for the run's own). */
export function slaContext(run: RunRecord, miss: SlaMiss): HookContext {
  const context = runContext('on_sla_miss', run);
  Object.assign(context.env, { FLOW_SLA_DEADLINE: miss.deadline, FLOW_SLA_TASK: miss.task ?? '', FLOW_SLA_DUE: miss.due });
  return { ...context, stdin: '' };
}

function runVariables(event: HookEvent, run: RunRecord): Record<string, string> {
  return {
    FLOW_EVENT: event,
    FLOW_PIPELINE: run.pipeline,
    FLOW_RUN_ID: run.id,
    FLOW_LOGICAL_DATE: run.logical_date,
    FLOW_TRIGGER: run.trigger,
  };
}

function attemptVariables(attempt: AttemptRecord | undefined): Record<string, string> {
  return {
    FLOW_EXIT_CODE: attempt?.exit_code == null ? '' : String(attempt.exit_code),
    FLOW_SIGNAL: attempt?.signal ?? '',
    FLOW_ERROR: attempt?.error ?? '',
    FLOW_LOG_FILE: attempt?.log ?? '',
  };
}

function logTail(file: string): string {
  if (file === '') return '';
  const lines = tailLines(file, LOG_TAIL_LINES);
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
