/**
 * A run whose scheduler died (orphans.ts), taken over by the active scheduler. Its record in the cluster's history
 * is first marked `interrupted`, as recovery marks a local run whose runner died, the reason naming the dead
 * scheduler's host. Then, when this scheduler has the pipeline loaded with the same tasks, the run is finished
 * here as `flow retry` continues a run: under its own id, tasks that succeeded kept, the others run again. An
 * attempt that was running on a worker is not run again but followed: it is taken off the record, so the task runs
 * under the same attempt number, whose job id is the same, and the queue's add is a no-op; its stream is read from
 * the start to the worker's outcome. Otherwise the run stays interrupted, and the log says why; so does the run of
 * a command (`flow run`) that died, which is never run again here.
 */
import type { ClusterHistory, OwnedRun } from '../../cluster/history/read.js';
import { runsRemotely } from '../../cluster/job-attempt.js';
import { commandDied, ownerCommand } from '../../cluster/history/owner.js';
import { rerunScope } from '../../engine/rerun.js';
import type { TaskStatus } from '../../engine/events.js';
import { executeRun, type RunServices } from '../../runs/execute.js';
import type { RunRecord } from '../../store/record.js';
import { markInterrupted } from '../../cluster/history/interrupt.js';
import type { CatalogEntry } from '../catalog.js';
import type { Catalog } from '../catalog.js';
import type { DaemonLog } from '../log.js';
import type { DaemonRuns } from '../runs.js';
import { holderHost } from './keys.js';

export interface AdoptContext {
  history: ClusterHistory;
  catalog: Catalog;
  runs: DaemonRuns;
  services: RunServices;
  log: DaemonLog;
  /** Ends an attempt running on a worker (its job id), for a run that is not finished here. */
  stopAttempt(pipeline: string, runId: string, task: string, attempt: number): Promise<void>;
}

export async function adoptRun(ctx: AdoptContext, orphan: OwnedRun, now = new Date()): Promise<void> {
  const record = await ctx.history.get(orphan.pipeline, orphan.id);
  if (record?.status !== 'running') {
    await ctx.history.forget(orphan.pipeline, orphan.id);
    return;
  }
  const command = ownerCommand(orphan.owner);
  const why = command === undefined ? `its scheduler on ${holderHost(orphan.owner)} died` : commandDied(orphan.owner);
  const started = openAttempts(record);
  markInterrupted(record, why, now);
  await ctx.history.replace(record);
  const entry = ctx.catalog.byName(record.pipeline);
  // A command's run is its user's to run again (`flow retry`): a scheduler never runs it again behind their back.
  const problem = command !== undefined ? `it was started by flow ${command}, not by a scheduler` : entry === undefined ? 'its pipeline is not loaded here' : sameTasks(entry, record);
  const name = `run ${record.id} of ${record.pipeline}`;
  if (entry === undefined || problem !== undefined) {
    // Interrupted means nothing of it runs any more: attempts still running on workers are ended.
    if (ctx.services.runner !== undefined) for (const [task, attempt] of started) await ctx.stopAttempt(record.pipeline, record.id, task, attempt);
    ctx.log.write(`${name} interrupted: ${why}; not finished here: ${problem ?? ''}`);
    return;
  }
  const tasks = rerunScope(entry.plan, new Map(record.tasks.map((task): [string, TaskStatus] => [task.id, task.status])));
  const followed = ctx.services.runner === undefined ? [] : followRemote(entry, record, started);
  const how = followed.length === 0 ? '' : `; following ${followed.join(', ')} where ${followed.length === 1 ? 'it runs' : 'they run'} on a worker`;
  ctx.log.write(`${name}: ${why}; finishing it here, running ${tasks.join(', ')} again (tasks that succeeded are not run again)${how}`);
  await ctx.runs.trigger(entry, { instant: new Date(Date.parse(record.logical_date)), trigger: 'catchup' }, ({ signal, force, sinks }) =>
    executeRun(ctx.services, { pipeline: entry.pipeline, plan: entry.plan, trigger: record.trigger, resume: { record, tasks }, sinks, signal, force, runAs: entry.runAs }),
  );
}

/** Each running task's open attempt number, before the record is marked. */
function openAttempts(record: RunRecord): Map<string, number> {
  const open = new Map<string, number>();
  for (const task of record.tasks) {
    const attempt = task.attempts.at(-1);
    if (task.status === 'running' && attempt !== undefined && attempt.ended_at === null) open.set(task.id, attempt.attempt);
  }
  return open;
}

/** Takes the open attempts of tasks that run on workers off the record, so the same attempts are followed again. */
function followRemote(entry: CatalogEntry, record: RunRecord, open: Map<string, number>): string[] {
  const followed: string[] = [];
  for (const task of record.tasks) {
    const attempt = open.get(task.id);
    const declared = entry.pipeline.tasks.find((candidate) => candidate.id === task.id);
    if (attempt === undefined || declared === undefined || !runsRemotely(declared)) continue;
    task.attempts = task.attempts.filter((entry) => entry.attempt !== attempt);
    followed.push(task.id);
  }
  return followed;
}

/** Why the loaded pipeline cannot continue this run (its tasks changed), or undefined when it can. */
function sameTasks(entry: CatalogEntry, record: RunRecord): string | undefined {
  const loaded = entry.plan.tasks.map((task) => task.id).sort().join(',');
  const recorded = record.tasks.map((task) => task.id).sort().join(',');
  return loaded === recorded ? undefined : 'its pipeline has other tasks now';
}
