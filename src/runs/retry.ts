/**
 * `flow retry`: runs again, inside an ended run's own record, its tasks that did not finish well (or one task, and
 * with `downstream` everything after it), as new attempts numbered after the earlier ones, with the run's logical
 * date and trigger. The record keeps its id, file and `started_at`; it is `running` while the retry runs, and its
 * status, `ended_at` and `duration_ms` (still ended_at − started_at) are set again at the end; `retried` lists
 * each retry. Hooks fire as for any run.
 */
import { hostname } from 'node:os';
import { FlowError } from '../errors.js';
import type { EventSink } from '../engine/events.js';
import { planRun, type Plan } from '../engine/plan.js';
import { rerunScope } from '../engine/rerun.js';
import type { Pipeline } from '../pipeline/types.js';
import { executeRun, type CompletedRun, type RunServices } from './execute.js';
import type { HistoryStore } from '../store/history.js';
import { upsert } from '../store/index-file.js';
import type { RunRecord } from '../store/record.js';
import { summarize } from '../store/summary.js';
import { selfId } from '../util/proc.js';
import { didYouMean } from '../util/suggest.js';
import { findRun } from '../store/find-run.js';

export interface RetryRequest {
  runId: string;
  task?: string | undefined;
  downstream?: boolean | undefined;
}

export interface PreparedRetry {
  record: RunRecord;
  pipeline: Pipeline;
  /** The run's tasks as the pipeline file now defines them. */
  plan: Plan;
  /** The tasks that run again, in plan order. */
  tasks: string[];
}

export async function prepareRetry(store: HistoryStore, request: RetryRequest): Promise<PreparedRetry> {
  const record = await findRun(store, request.runId);
  refuseRunning(record);
  const ids = record.tasks.map((task) => task.id);
  if (request.task !== undefined && !ids.includes(request.task)) {
    throw new FlowError('E_TASK_NOT_FOUND', `run ${record.id} has no task "${request.task}"${didYouMean(request.task, ids)}`, {
      hint: `its tasks: ${ids.join(', ')}`,
    });
  }
  const pipeline = await pipelineOf(record);
  if (pipeline.name !== record.pipeline) {
    throw new FlowError('E_VALIDATION', `${record.file} now defines pipeline "${pipeline.name}", not "${record.pipeline}" of run ${record.id}`);
  }
  const defined = new Set(pipeline.tasks.map((task) => task.id));
  const gone = ids.filter((id) => !defined.has(id));
  if (gone.length > 0) {
    throw new FlowError('E_TASK_NOT_FOUND', `${record.file} no longer defines ${gone.map((id) => `"${id}"`).join(', ')} of run ${record.id}`, {
      hint: `start a new run instead: flow run ${record.file}`,
    });
  }
  // The run's own tasks, so a run of `--only` or `--from` is retried within what it ran.
  const plan = planRun(pipeline, { only: ids });
  const tasks = rerunScope(plan, new Map(record.tasks.map((task) => [task.id, task.status])), request);
  if (tasks.length === 0) {
    throw new FlowError('E_USAGE', `run ${record.id} ${record.status === 'success' ? 'succeeded' : `is ${record.status}`}: no task to retry`, {
      hint: 'name a task with --task to run it again',
    });
  }
  return { record, pipeline, plan, tasks };
}

export interface RetryRunOptions {
  sinks?: EventSink[];
  signal?: AbortSignal | undefined;
  force?: AbortSignal | undefined;
}

export async function retryRun(services: RunServices, prepared: PreparedRetry, options: RetryRunOptions = {}): Promise<CompletedRun> {
  const { store } = services;
  const { record, pipeline, plan, tasks } = prepared;
  await claim(store, record);
  let started = false;
  try {
    return await executeRun(services, {
      pipeline,
      plan,
      trigger: record.trigger,
      sinks: [(event) => (started ||= event.kind === 'run-started'), ...(options.sinks ?? [])],
      signal: options.signal,
      force: options.force,
      resume: { record, tasks },
    });
  } catch (error) {
    // Not started: give the run back as it was, or crash recovery would later take our claim for a dead run.
    if (!started) await store.changeIndex((data) => upsert(data, summarize(record)));
    throw error;
  }
}

/**
 * Marks the run running as ours in the index, under its lock, so two retries of one run cannot both start; refused
 * when another process claimed it, or changed it, since we read it.
 */
async function claim(store: HistoryStore, record: RunRecord): Promise<void> {
  const owner = selfId();
  await store.changeIndex((data) => {
    const entry = data.runs.find((run) => run.id === record.id);
    if (entry !== undefined) {
      refuseRunning(entry);
      if (entry.ended_at !== record.ended_at) throw new FlowError('E_LOCKED', `run ${record.id} changed while the retry was prepared`, { hint: 'try again' });
    }
    const summary = summarize(record);
    upsert(data, { ...summary, status: 'running', ended_at: null, duration_ms: null, host: owner.host, pid: owner.pid, pid_start: owner.start, boot_id: owner.boot });
  });
}

function refuseRunning(run: Pick<RunRecord, 'id' | 'status' | 'pid' | 'host'>): void {
  if (run.status !== 'running') return;
  const where = run.host === hostname() ? '' : ` on ${run.host}`;
  throw new FlowError('E_LOCKED', `run ${run.id} is running, by pid ${run.pid}${where}`, { hint: 'retry it once it has ended' });
}

async function pipelineOf(record: RunRecord): Promise<Pipeline> {
  try {
    // Loaded when a retry asks for it: the daemon imports this module, and keeps validation out of its memory.
    const { loadPipeline } = await import('../pipeline/load.js');
    return await loadPipeline(record.file);
  } catch (error) {
    if (error instanceof FlowError && error.code === 'E_NOT_FOUND') {
      throw new FlowError('E_PIPELINE_NOT_FOUND', `run ${record.id} came from ${record.file}, which is gone`, { cause: error });
    }
    throw error;
  }
}
