/**
 * `flow __complete KIND [pipeline]`, for completion scripts: pipeline names, a pipeline's task names (or every
 * recorded task), recent run ids; one a line. It never fails: a completion that errs prints nothing.
 */
import { loadDirectory } from '../../pipeline/discover.js';
import { HistoryStore } from '../../store/history.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { writeLine, type Io } from '../ui.js';

const RECENT_RUNS = 20;

export async function completeCommand(kind: string, pipeline: string | undefined, io: Io): Promise<number> {
  try {
    for (const word of await words(kind, pipeline, io)) writeLine(io.stdout, word);
  } catch {
    // Nothing to offer.
  }
  return 0;
}

async function words(kind: string, pipeline: string | undefined, io: Io): Promise<string[]> {
  if (kind === 'pipelines' || kind === 'tasks') {
    const loaded = (await loadDirectory(pipelinesDir(undefined, io.env), { cache: flowHome(io.env) })).flatMap((entry) => (entry.pipeline === undefined ? [] : [entry.pipeline]));
    if (kind === 'pipelines') return loaded.map((entry) => entry.name).sort();
    const chosen = loaded.filter((entry) => pipeline === undefined || pipeline === '' || pipeline.startsWith('-') || entry.name === pipeline);
    return [...new Set((chosen.length > 0 ? chosen : loaded).flatMap((entry) => entry.tasks.map((task) => task.id)))].sort();
  }
  if (kind === 'runs') {
    const store = await HistoryStore.open(flowHome(io.env));
    return (await store.index()).runs.slice(-RECENT_RUNS).reverse().map((run) => run.id);
  }
  return [];
}
