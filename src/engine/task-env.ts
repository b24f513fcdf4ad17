/**
 * A task's environment: the process's, then the pipeline's, then the task's, then flow's own FLOW_* variables.
 * Values reach commands only this way; nothing is ever templated into command text, so no value can inject shell.
 */
import type { Pipeline, Task } from '../pipeline/types.js';
import type { Env } from '../util/paths.js';
import type { Trigger } from './events.js';
import type { RunAs } from './run-as.js';
import { paramEnv, type ParamValues } from '../pipeline/params.js';

export interface RunContext {
  runId: string;
  trigger: Trigger;
  /** ISO 8601 with offset, in the pipeline's zone. */
  logicalDate: string;
  /** `YYYY-MM-DD` of the logical date in the pipeline's zone. */
  ds: string;
  /** The run's params (`params:`), checked and with defaults: they reach tasks as FLOW_PARAM_<NAME>. */
  params?: ParamValues | undefined;
}

export function taskEnv(base: Env, pipeline: Pipeline, task: Task, run: RunContext, attempt: number, runAs?: RunAs): Record<string, string> {
  const env: Record<string, string> = {};
  if (pipeline.inheritEnv) for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  // Run as another user: that user's identity, as login(1) and cron set it, unless the pipeline sets its own.
  if (runAs !== undefined) Object.assign(env, { HOME: runAs.home, USER: runAs.name, LOGNAME: runAs.name });
  Object.assign(env, pipeline.env, task.env, {
    FLOW_PIPELINE: pipeline.name,
    FLOW_RUN_ID: run.runId,
    FLOW_TASK: task.id,
    FLOW_ATTEMPT: String(attempt),
    FLOW_TRIGGER: run.trigger,
    FLOW_LOGICAL_DATE: run.logicalDate,
    FLOW_DS: run.ds,
  }, paramEnv(run.params));
  return env;
}
