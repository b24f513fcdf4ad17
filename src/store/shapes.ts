/**
 * The shapes of the files flow reads back from FLOW_HOME. Every one is checked when read: a file that parses as JSON
 * but has another shape (edited by hand, cut short by a full disk, written by something else) is treated like one
 * that does not parse — moved aside and rebuilt or started afresh — never trusted into a crash further on.
 * Objects are loose: a field added by a later version of flow does not make a file corrupt for this one.
 */
import { z } from 'zod';
import { RUN_STATUSES, TASK_STATUSES, TRIGGERS } from '../engine/events.js';
import { isRunId } from './layout.js';

const instant = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not a date');
const count = z.number().int().nonnegative();
const name = z.string().min(1);

const runStatus = z.enum(RUN_STATUSES);
const taskStatus = z.enum(TASK_STATUSES);
const trigger = z.enum(TRIGGERS);

const attempt = z.looseObject({
  attempt: count,
  started_at: instant,
  ended_at: instant.nullable(),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  timed_out: z.boolean(),
  log: z.string(),
  pid: count.nullable(),
  pid_start: z.number().nullable(),
  error: z.string().nullable(),
});

const task = z.looseObject({
  id: name,
  status: taskStatus,
  reason: z.string().nullable().default(null),
  attempts: z.array(attempt),
});

const hook = z.looseObject({
  // Only printed: a hook event or source a later version adds does not make the record corrupt.
  event: z.string(),
  task: z.string().nullable(),
  command: z.string(),
  source: z.string(),
  started_at: instant,
  duration_ms: z.number(),
  exit_code: z.number().int().nullable(),
  signal: z.string().nullable(),
  timed_out: z.boolean(),
  error: z.string().nullable(),
  log: z.string(),
});

const retry = z.looseObject({
  started_at: instant,
  ended_at: instant.nullable(),
  tasks: z.array(z.string()),
  previous_status: runStatus,
});

/** What a run file and an index entry share: the run without its tasks. */
const header = {
  id: z.string().refine(isRunId, 'not a run id'),
  pipeline: name,
  file: z.string(),
  trigger,
  logical_date: instant,
  status: runStatus,
  started_at: instant,
  ended_at: instant.nullable(),
  duration_ms: z.number().nullable(),
  host: z.string(),
  pid: count,
  pid_start: z.number().nullable(),
  boot_id: z.string().nullable(),
  hooks: z.array(hook).default([]),
  retried: z.array(retry).optional(),
};

export const runRecordShape = z.looseObject({ ...header, tasks: z.array(task) });

/**
 * An index entry, checked for what is used from it: finding, filtering and recovering runs. The index is read by
 * every command, up to 1000 entries, so its check is kept light; what is shown comes from the run files (checked
 * in full), or from an entry only after it passes the full check (see `fromSummary`'s caller).
 */
export const runSummaryShape = z.looseObject({
  id: header.id,
  pipeline: header.pipeline,
  trigger,
  logical_date: z.string(),
  status: runStatus,
  started_at: z.string(),
  ended_at: z.string().nullable(),
  host: z.string(),
  pid: count,
  pid_start: z.number().nullable(),
  boot_id: z.string().nullable(),
  failed_tasks: z.array(z.string()),
});

export const indexShape = z.looseObject({
  version: z.literal(1),
  runs: z.array(runSummaryShape),
  truncated: z.boolean(),
});

/** A lock's holder: who created the lock file. */
export const holderShape = z.looseObject({
  host: z.string(),
  pid: z.number().int().positive(),
  start: z.number().nullable(),
  boot: z.string().nullable(),
});

export const daemonStateShape = z.looseObject({
  version: z.literal(1),
  boot_id: z.string().nullable(),
  pipelines: z.record(z.string(), z.looseObject({ last_instant: instant })),
});

/** daemon-status.json: a snapshot the running daemon rewrites; one of the wrong shape reads as no status at all. */
export const daemonStatusShape = z.looseObject({
  pid: z.number().int(),
  host: z.string(),
  started_at: instant,
  pipelines_dir: z.string(),
  stopping: z.boolean(),
  pipelines: z.array(
    z.looseObject({
      name: z.string(),
      file: z.string(),
      schedule: z.string().nullable(),
      timezone: z.string(),
      next: instant.nullable(),
      error: z.string().nullable(),
      active_runs: z.number(),
    }),
  ),
  broken: z.array(z.looseObject({ file: z.string(), error: z.string() })),
  runs_in_flight: z.array(z.looseObject({ pipeline: z.string(), run_id: z.string().nullable(), logical_date: z.string(), started_at: z.string() })),
  cluster: z.looseObject({ role: z.enum(['active', 'standby']), lease_holder: z.string().nullable() }).optional(),
});

/** The first problem of a failed check, as `path: message` for a one-line warning. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'wrong shape';
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
