/**
 * Where history lives under FLOW_HOME:
 *
 *   history.json                          small index of recent runs (lowdb), rebuilt from run files when lost
 *   history.lock                          cross-process lock around every change to the index
 *   runs/<pipeline>/<run-id>.json         one run record per file (lowdb), written by the process that owns it
 *   runs/<pipeline>/<run-id>.journal      a running run's changes, one JSON line each (journal.ts)
 *   logs/<pipeline>/<run-id>/<task>.<attempt>.log
 */
import { join } from 'node:path';
import { RUN_ID } from '../engine/run-id.js';
import { FlowError } from '../errors.js';
import { isValidName } from '../pipeline/names.js';

/** A pipeline name read back from a record or the index could have been forged: it never leads outside its folder. */
function checkedName(pipeline: string): string {
  if (!isValidName(pipeline)) throw new FlowError('E_STORE', `a record names the pipeline "${pipeline}", which is not a valid name`);
  return pipeline;
}

export interface Layout {
  home: string;
  index: string;
  lock: string;
  runs: string;
  logs: string;
}

export function layoutOf(home: string): Layout {
  return {
    home,
    index: join(home, 'history.json'),
    lock: join(home, 'history.lock'),
    runs: join(home, 'runs'),
    logs: join(home, 'logs'),
  };
}

export function runDir(layout: Layout, pipeline: string): string {
  return join(layout.runs, checkedName(pipeline));
}

export function runFile(layout: Layout, pipeline: string, runId: string): string {
  return join(runDir(layout, pipeline), `${runId}.json`);
}

export function runLogDir(layout: Layout, pipeline: string, runId: string): string {
  return join(layout.logs, checkedName(pipeline), runId);
}

/** A run id's start instant, read from the id itself (`20261122T184301.123Z-…`). */
export function startOfRunId(runId: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)\.(\d{3})Z/.exec(runId);
  if (m === null) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
}

export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}
