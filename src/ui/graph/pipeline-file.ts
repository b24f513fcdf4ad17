/**
 * A pipeline file as the Pipeline and Run pages show it: its text (read-only), its tasks' edges for the graph, and its
 * problems at `file:line:col` when it does not load. Loaded through the same loader as everything else, and kept
 * while the file's size and mtime stay the same, so a page view of a 1000-task pipeline does not parse it again.
 */
import { stat } from 'node:fs/promises';
import { formatProblem } from '../../errors.js';
import { loadPipelineFile } from '../../pipeline/load.js';
import { LIMITS } from '../../pipeline/limits.js';
import { readBounded } from '../../util/read-bounded.js';
import type { DagTask } from './dag-layout.js';

export interface PipelineFile {
  file: string;
  /** The file's text, or why it cannot be shown. */
  text: string | undefined;
  unreadable: string | undefined;
  /** The tasks in file order with their dependencies; undefined when the file does not load. */
  tasks: DagTask[] | undefined;
  /** `file:line:col: path: message`, one per problem. */
  problems: string[];
}

const KEEP = 64;
const cache = new Map<string, { key: string; loaded: PipelineFile }>();

export async function readPipelineFile(file: string): Promise<PipelineFile> {
  let key: string;
  try {
    const info = await stat(file);
    key = `${info.size}:${info.mtimeMs}:${info.ino}`;
  } catch (error) {
    return { file, text: undefined, unreadable: missing(error), tasks: undefined, problems: [] };
  }
  const kept = cache.get(file);
  if (kept !== undefined && kept.key === key) return kept.loaded;
  const loaded = await load(file);
  cache.delete(file);
  cache.set(file, { key, loaded });
  if (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  return loaded;
}

async function load(file: string): Promise<PipelineFile> {
  let text: string | undefined;
  let unreadable: string | undefined;
  try {
    const read = await readBounded(file, LIMITS.fileBytes);
    if ('text' in read) text = read.text;
    else unreadable = 'tooLarge' in read ? `the file is ${read.tooLarge} bytes, more than a pipeline file may hold` : 'not a regular file';
  } catch (error) {
    return { file, text: undefined, unreadable: missing(error), tasks: undefined, problems: [] };
  }
  try {
    const loaded = await loadPipelineFile(file);
    const tasks = loaded.pipeline?.tasks.map((task) => ({ id: task.id, depends_on: [...task.dependsOn] }));
    return { file, text, unreadable, tasks, problems: loaded.problems.map(formatProblem) };
  } catch (error) {
    return { file, text, unreadable, tasks: undefined, problems: [`${file}: ${(error as Error).message}`] };
  }
}

function missing(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'the file no longer exists' : `cannot read it (${code ?? String(error)})`;
}

/** The graph of a run: the file's edges among the run's own tasks, in the file's order, then tasks the file lacks. */
export function runGraph(runTasks: readonly string[], defined: readonly DagTask[] | undefined): DagTask[] {
  const inRun = new Set(runTasks);
  const byId = new Map((defined ?? []).map((task) => [task.id, task]));
  const ordered = (defined ?? []).filter((task) => inRun.has(task.id)).map((task) => ({ id: task.id, depends_on: task.depends_on.filter((id) => inRun.has(id)) }));
  for (const id of runTasks) if (!byId.has(id)) ordered.push({ id, depends_on: [] });
  return ordered;
}
