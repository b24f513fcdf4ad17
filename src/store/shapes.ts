/**
 * The shapes of the files flow reads back from FLOW_HOME. Every one is checked when read: a file that parses as JSON
 * but has another shape (edited by hand, cut short by a full disk, written by something else) is treated like one
 * that does not parse — moved aside and rebuilt or started afresh — never trusted into a crash further on.
 * Objects are loose: a field added by a later version of flow does not make a file corrupt for this one. The checks
 * are plain functions (./check.ts), not a schema library: every command reads some of these files.
 */
import { RUN_STATUSES, TASK_STATUSES, TRIGGERS } from '../engine/events.js';
import { boolean, count, instant, integer, list, literal, looseObject, nonEmptyString, nullable, number, oneOf, optional, positive, record, refine, string, withDefault } from './check.js';
import { isRunId } from './layout.js';

const runStatus = oneOf(RUN_STATUSES);
const taskStatus = oneOf(TASK_STATUSES);
const trigger = oneOf(TRIGGERS);

const attempt = looseObject({
  attempt: count,
  started_at: instant,
  ended_at: nullable(instant),
  exit_code: nullable(integer),
  signal: nullable(string),
  timed_out: boolean,
  log: string,
  pid: nullable(count),
  pid_start: nullable(number),
  error: nullable(string),
});

const task = looseObject({
  id: nonEmptyString,
  status: taskStatus,
  reason: withDefault(nullable(string), () => null),
  attempts: list(attempt),
});

const hook = looseObject({
  // Only printed: a hook event or source a later version adds does not make the record corrupt.
  event: string,
  task: nullable(string),
  command: string,
  source: string,
  started_at: instant,
  duration_ms: number,
  exit_code: nullable(integer),
  signal: nullable(string),
  timed_out: boolean,
  error: nullable(string),
  log: string,
});

const retry = looseObject({
  started_at: instant,
  ended_at: nullable(instant),
  tasks: list(string),
  previous_status: runStatus,
});

const runId = refine(string, isRunId, 'not a run id');

/** What a run file and an index entry share: the run without its tasks. */
const header = {
  id: runId,
  pipeline: nonEmptyString,
  file: string,
  trigger,
  logical_date: instant,
  status: runStatus,
  started_at: instant,
  ended_at: nullable(instant),
  duration_ms: nullable(number),
  host: string,
  pid: count,
  pid_start: nullable(number),
  boot_id: nullable(string),
  hooks: withDefault(list(hook), () => []),
  retried: optional(list(retry)),
};

export const runRecordShape = looseObject({ ...header, tasks: list(task) });

/**
 * An index entry, checked for what is used from it: finding, filtering and recovering runs. The index is read by
 * every command, up to 1000 entries, so its check is kept light; what is shown comes from the run files (checked
 * in full), or from an entry only after it passes the full check (see `fromSummary`'s caller).
 */
export const runSummaryShape = looseObject({
  id: runId,
  pipeline: nonEmptyString,
  trigger,
  logical_date: string,
  status: runStatus,
  started_at: string,
  ended_at: nullable(string),
  host: string,
  pid: count,
  pid_start: nullable(number),
  boot_id: nullable(string),
  failed_tasks: list(string),
});

export const indexShape = looseObject({
  version: literal(1),
  runs: list(runSummaryShape),
  truncated: boolean,
});

/** A lock's holder: who created the lock file. */
export const holderShape = looseObject({
  host: string,
  pid: positive,
  start: nullable(number),
  boot: nullable(string),
});

export const daemonStateShape = looseObject({
  version: literal(1),
  boot_id: nullable(string),
  pipelines: record(looseObject({ last_instant: instant })),
});

/** daemon-status.json: a snapshot the running daemon rewrites; one of the wrong shape reads as no status at all. */
export const daemonStatusShape = looseObject({
  pid: integer,
  host: string,
  started_at: instant,
  pipelines_dir: string,
  stopping: boolean,
  pipelines: list(
    looseObject({
      name: string,
      file: string,
      schedule: nullable(string),
      timezone: string,
      next: nullable(instant),
      error: nullable(string),
      active_runs: number,
    }),
  ),
  broken: list(looseObject({ file: string, error: string })),
  runs_in_flight: list(looseObject({ pipeline: string, run_id: nullable(string), logical_date: string, started_at: string })),
  cluster: optional(looseObject({ role: oneOf(['active', 'standby']), lease_holder: nullable(string) })),
});
