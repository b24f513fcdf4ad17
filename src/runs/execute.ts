/**
 * One run with everything around it, for every trigger (`flow run`, the daemon, backfills, wrapped commands): the
 * engine runs the plan; its events go to the history recorder, the hook runner and the caller's sinks; the run
 * returns once its record and its hooks' outcomes are on disk.
 */
import type { GlobalConfig } from '../config/global.js';
import type { EventSink, FlowEvent, Trigger } from '../engine/events.js';
import type { Plan } from '../engine/plan.js';
import type { AttemptRunner } from '../engine/attempt.js';
import { runPipeline, type FinishedRun } from '../engine/run.js';
import { runSecrets } from '../engine/mask.js';
import type { SlotPool } from '../engine/slots.js';
import type { RunAs } from '../engine/run-as.js';
import { resolveRunAs } from './run-as.js';
import { resolveParams } from '../pipeline/params.js';
import { HookRunner } from '../notify/hook-runner.js';
import { hasDeadlines, SlaWatch } from './sla.js';
import type { Pipeline } from '../pipeline/types.js';
import type { HistoryStore } from '../store/history.js';
import { resumeOf, type RunRecord } from '../store/record.js';
import type { Env } from '../util/paths.js';

export interface RunServices {
  store: HistoryStore;
  config: GlobalConfig;
  env: Env;
  /** In cluster mode, the runner that puts attempts on their pool's queue; absent: tasks run in this process. */
  runner?: AttemptRunner | undefined;
  /** Further history beside the local store (a cluster's, in Redis): one sink per run, closed before the run returns. */
  history?: ((secrets: readonly string[]) => HistorySink) | undefined;
  /** Writes a whole record there too (the daemon's records of skipped instants). */
  historyRecord?: ((record: RunRecord) => Promise<void>) | undefined;
}

export interface HistorySink {
  sink: EventSink;
  /** Resolves once everything the sink was given is written. */
  close(): Promise<void>;
}

export interface RunRequest {
  pipeline: Pipeline;
  plan: Plan;
  trigger: Trigger;
  logicalDate?: Date | undefined;
  /** The caller's own sinks (a terminal view, the daemon's log). */
  sinks?: EventSink[];
  signal?: AbortSignal | undefined;
  force?: AbortSignal | undefined;
  shared?: SlotPool | undefined;
  /** Continue this run, which has ended, instead of starting one (`flow retry`): `tasks` run again as new attempts. */
  resume?: { record: RunRecord; tasks: string[] } | undefined;
  /** Values for the pipeline's params as given (`--param`); checked here, before anything is recorded. */
  params?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** The pipeline's `user:`, already resolved (the daemon does it once per load; null: nobody to switch to). */
  runAs?: RunAs | null | undefined;
  /** The run's id, when the caller chose it (a cluster's scheduled instants); otherwise a new one. */
  runId?: string | undefined;
  /** Called once the run is in the index and its file is on disk, before its first task starts. */
  recorded?: (() => void) | undefined;
}

export interface CompletedRun {
  result: FinishedRun;
  record: RunRecord;
}

export async function executeRun(services: RunServices, request: RunRequest): Promise<CompletedRun> {
  const { store } = services;
  const { pipeline, secrets } = withSecrets(services, request.pipeline);
  const recorder = store.recorder(secrets, request.signal);
  const shared = services.history?.(secrets);
  const sinks: EventSink[] = [recorder.sink, ...(shared === undefined ? [] : [shared.sink]), ...(request.sinks ?? [])];
  const emit = (event: FlowEvent): void => {
    for (const sink of sinks) sink(event);
  };
  // `user:` is checked before anything is recorded: a run that may not start as that user does not start at all.
  // A retry keeps the params its run was given; any other run has them checked against the pipeline's params.
  const params = request.resume !== undefined ? request.resume.record.params : resolveParams(request.pipeline, request.params);
  const runAs = request.runAs === undefined ? await resolveRunAs(request.pipeline, services.env) : (request.runAs ?? undefined);
  await store.prepare(request.pipeline.name);
  const logDirOf = (runId: string): string => store.logDirOf(request.pipeline.name, runId);
  const hooks = new HookRunner({ pipeline, global: services.config, baseEnv: services.env, logDirOf, emit });
  const watched: EventSink[] = [...sinks, hooks.sink];
  const sla = slaWatchOf(request, (event) => {
    for (const sink of watched) sink(event);
  });
  const result = await runPipeline({
    pipeline,
    plan: request.plan,
    trigger: request.trigger,
    logicalDate: request.logicalDate,
    runId: request.runId,
    logDirOf,
    env: services.env,
    sinks: sla === undefined ? watched : [...watched, sla.sink],
    ready: async () => {
      await recorder.started();
      request.recorded?.();
    },
    signal: request.signal,
    force: request.force,
    shared: request.shared,
    resume: request.resume === undefined ? undefined : resumeOf(request.resume.record, request.resume.tasks),
    runAs,
    params,
    runner: services.runner,
  }).finally(() => sla?.stop());
  await hooks.idle();
  const record = await recorder.close();
  await shared?.close();
  return { result, record: record as RunRecord };
}

const secretsOf = new WeakMap<Pipeline, { services: RunServices; pipeline: Pipeline; secrets: string[] }>();

/**
 * The pipeline with the config file's `secrets:` added, and every secret value its runs can meet. The same for every
 * run of one loaded pipeline in one process: a daemon firing thousands of runs at once works it out once each.
 */
function withSecrets(services: RunServices, loaded: Pipeline): { pipeline: Pipeline; secrets: string[] } {
  const known = secretsOf.get(loaded);
  if (known !== undefined && known.services.env === services.env && known.services.config === services.config) return known;
  const listed = services.config.secrets.filter((name) => !loaded.secrets.includes(name));
  const pipeline = listed.length === 0 ? loaded : { ...loaded, secrets: [...loaded.secrets, ...listed] };
  const found = { services, pipeline, secrets: runSecrets(pipeline, services.env) };
  secretsOf.set(loaded, found);
  return found;
}

/** A scheduled run's deadlines (`sla:`), watched from its scheduled instant; none for a retry, which keeps the first pass's. */
function slaWatchOf(request: RunRequest, emit: EventSink): SlaWatch | undefined {
  if (request.resume !== undefined || request.logicalDate === undefined || !hasDeadlines(request.pipeline, request.trigger)) return undefined;
  return new SlaWatch(request.pipeline, request.logicalDate, emit);
}
