/**
 * Which attempt's log `flow logs <task>` means: by default the latest attempt of the latest run that has the task,
 * in whichever pipeline has it; `--pipeline`, `--run` and `--attempt` narrow it down. Errors say what exists.
 */
import { FlowError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { HistoryStore } from './history.js';
import type { RunRecord, TaskRecord } from './record.js';
import { findRun } from './find-run.js';
import { pipelinesWithRuns, runIdsOf } from './run-files.js';

/** How many runs of one pipeline to look through for a task before giving up on that pipeline. */
const LOOK_BACK = 50;

export interface AttemptQuery {
  task: string;
  pipeline?: string | undefined;
  run?: string | undefined;
  attempt?: number | undefined;
}

export interface FoundTask {
  run: RunRecord;
  task: TaskRecord;
}

export async function findTaskRun(store: HistoryStore, query: AttemptQuery): Promise<FoundTask> {
  if (query.run !== undefined) {
    const run = await findRun(store, query.run);
    if (query.pipeline !== undefined && run.pipeline !== query.pipeline) {
      throw new FlowError('E_RUN_NOT_FOUND', `run ${query.run} is a run of ${run.pipeline}, not of ${query.pipeline}`);
    }
    const task = run.tasks.find((entry) => entry.id === query.task);
    if (task === undefined) throw unknownTask(query.task, run.tasks.map((entry) => entry.id), `run ${run.id} of ${run.pipeline}`);
    return { run, task };
  }

  const pipelines = query.pipeline === undefined ? await pipelinesWithRuns(store.layout) : [query.pipeline];
  const found: FoundTask[] = [];
  const seenTasks = new Set<string>();
  for (const pipeline of pipelines) {
    const ids = (await runIdsOf(store.layout, pipeline)).slice(-LOOK_BACK).reverse();
    for (const id of ids) {
      const run = await store.readRun({ pipeline, id });
      const task = run?.tasks.find((entry) => entry.id === query.task);
      run?.tasks.forEach((entry) => seenTasks.add(entry.id));
      if (run !== undefined && task !== undefined) {
        found.push({ run, task });
        break;
      }
    }
  }
  if (found.length === 1 && found[0] !== undefined) return found[0];
  if (found.length > 1) {
    throw new FlowError('E_USAGE', `task "${query.task}" is in several pipelines: ${found.map((entry) => entry.run.pipeline).join(', ')}`, {
      hint: `say which with --pipeline, e.g. flow logs ${query.task} --pipeline ${found[0]?.run.pipeline ?? ''}`,
    });
  }
  if (query.pipeline !== undefined && pipelines.length === 1 && (await runIdsOf(store.layout, query.pipeline)).length === 0) {
    throw new FlowError('E_RUN_NOT_FOUND', `pipeline "${query.pipeline}" has no runs yet`);
  }
  throw unknownTask(query.task, [...seenTasks].sort(), query.pipeline === undefined ? 'any recorded run' : `the runs of ${query.pipeline}`);
}

function unknownTask(task: string, known: string[], where: string): FlowError {
  return new FlowError('E_TASK_NOT_FOUND', `no task "${task}" in ${where}${didYouMean(task, known)}`, {
    hint: known.length > 0 ? `tasks there: ${known.join(', ')}` : 'no runs are recorded yet; run a pipeline first',
  });
}
