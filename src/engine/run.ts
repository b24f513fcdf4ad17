/**
 * One run of a pipeline, from any trigger: gives it an id and a logical date, runs the plan, and sends every event
 * to the given sinks. `flow run`, the daemon, backfills and wrapped commands all come through here.
 */
import { FlowError } from '../errors.js';
import { ensureDir } from '../util/fs.js';
import { errnoWords } from '../util/errno.js';
import type { Pipeline } from '../pipeline/types.js';
import type { Env } from '../util/paths.js';
import { dayOf, isoWithOffset } from '../util/time.js';
import type { EventSink, FlowEvent, Trigger } from './events.js';
import { executePlan, type PriorState, type RunResult } from './executor.js';
import type { Plan } from './plan.js';
import { newRunId } from './run-id.js';
import type { SlotPool } from './slots.js';
import type { RunAs } from './run-as.js';
import type { ParamValues } from '../pipeline/params.js';
import type { AttemptRunner } from './attempt.js';

export interface RunOptions {
  pipeline: Pipeline;
  plan: Plan;
  trigger: Trigger;
  /** The instant the run stands for; default: now. */
  logicalDate?: Date | undefined;
  /** Where a run's logs go, given its id (the store's layout decides; see store/layout.ts). */
  logDirOf: (runId: string) => string;
  env: Env;
  sinks: EventSink[];
  /** Awaited after `run-started` and before the first task: the run's record must exist before anything runs. */
  ready?: (() => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
  force?: AbortSignal | undefined;
  shared?: SlotPool | undefined;
  now?: () => Date;
  /** Continue a run that already ended (`flow retry`) instead of starting a new one. */
  resume?: RunResume | undefined;
  /** The run's id when the caller chose it (a scheduled instant's run in a cluster, see scheduledRunId). */
  runId?: string | undefined;
  /** Run shell tasks as another user (`user:`). */
  runAs?: RunAs | undefined;
  /** The run's params, already checked (pipeline/params.ts). */
  params?: ParamValues | undefined;
  /** Who runs each attempt (see ExecuteOptions.runner). */
  runner?: AttemptRunner | undefined;
}

/** A run that already ended, continued under its own id and logical date: `tasks` run again as new attempts. */
export interface RunResume {
  runId: string;
  /** The run's logical date as recorded (ISO 8601 with offset), kept as written even if the pipeline's zone changed. */
  logicalDate: string;
  tasks: string[];
  /** Each task's state after the earlier pass. */
  prior: PriorState['tasks'];
  /** The run's record, handed to sinks unread (see RunInfo.resume). */
  record: unknown;
}

export interface FinishedRun extends RunResult {
  runId: string;
  logicalDate: string;
  startedAt: Date;
  endedAt: Date;
}


export async function runPipeline(options: RunOptions): Promise<FinishedRun> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const resume = options.resume;
  const runId = resume?.runId ?? options.runId ?? newRunId(startedAt);
  const zone = options.pipeline.timezone;
  const logical = options.logicalDate ?? startedAt;
  const logicalDate = resume?.logicalDate ?? isoWithOffset(logical, zone);
  // The recorded text's own day: ISO 8601 with offset writes the wall-clock date of the zone it was made in.
  const ds = resume !== undefined ? resume.logicalDate.slice(0, 10) : dayOf(logical, zone);
  const logDir = options.logDirOf(runId);
  makeLogDir(logDir);
  const emit = (event: FlowEvent): void => {
    for (const sink of options.sinks) sink(event);
  };
  emit({
    kind: 'run-started',
    at: startedAt,
    run: {
      runId,
      pipeline: options.pipeline.name,
      file: options.pipeline.file,
      trigger: options.trigger,
      logicalDate,
      plan: options.plan,
      resume: resume === undefined ? undefined : { tasks: resume.tasks, record: resume.record },
      params: options.params !== undefined && Object.keys(options.params).length > 0 ? options.params : undefined,
    },
  });
  await options.ready?.();
  const result = await executePlan({
    pipeline: options.pipeline,
    plan: options.plan,
    run: { runId, trigger: options.trigger, logicalDate, ds, params: options.params },
    logDir,
    // One plain copy per run: reading process.env goes through C++ on every access.
    baseEnv: { ...options.env },
    emit,
    signal: options.signal,
    force: options.force,
    shared: options.shared,
    now,
    prior: resume === undefined ? undefined : { tasks: resume.prior, rerun: resume.tasks },
    runAs: options.runAs,
    runner: options.runner,
  });
  return { ...result, runId, logicalDate, startedAt, endedAt: now() };
}

function makeLogDir(dir: string): void {
  try {
    ensureDir(dir);
  } catch (error) {
    throw new FlowError('E_HOME', `cannot write logs to ${dir}: ${errnoWords(error)}`, {
      hint: 'set FLOW_HOME to a writable directory',
      cause: error,
    });
  }
}
