/** The HTTP status of each error a client can cause: one table for the API's JSON and the web UI's pages. */
import { FlowError, type FlowErrorCode } from '../errors.js';

const STATUS: Partial<Record<FlowErrorCode, 400 | 404 | 409 | 503>> = {
  E_USAGE: 400,
  E_PARAM: 400,
  E_VALIDATION: 400,
  E_AMBIGUOUS: 400,
  E_NOT_FOUND: 404,
  E_PIPELINE_NOT_FOUND: 404,
  E_RUN_NOT_FOUND: 404,
  E_TASK_NOT_FOUND: 404,
  E_LOCKED: 409,
  E_RUN_ENDED: 409,
  // `flow ui` asked for something only a daemon does, and none runs.
  E_NO_DAEMON: 503,
  // The cluster's Redis cannot be reached (the web UI reads the cluster's history there).
  E_REDIS: 503,
};

/** 500 for anything that is not a FlowError (a bug) or has no entry. */
export function httpStatusOf(error: Error): 400 | 404 | 409 | 500 | 503 {
  return error instanceof FlowError ? (STATUS[error.code] ?? 500) : 500;
}
