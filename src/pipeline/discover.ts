/** Finding pipelines: every pipeline file of a directory, and one pipeline by path or by name. */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FlowError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { LoadedPipeline } from './load.js';
import { nameFromFile, PIPELINE_FILE } from './normalize.js';

/** Pipeline files of a directory, sorted; a missing directory has none. */
export async function listPipelineFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new FlowError('E_NOT_FOUND', `cannot read the pipelines directory ${dir}: ${(error as Error).message}`);
  }
  return names.filter((name) => PIPELINE_FILE.test(name)).sort().map((name) => resolve(dir, name));
}

/**
 * Loads every pipeline file of a directory and reports pipelines that share a name. With `cache` (FLOW_HOME),
 * files validated before are answered from the cache of validated pipelines (cache.ts).
 */
export async function loadDirectory(dir: string, options: { cache?: string } = {}): Promise<LoadedPipeline[]> {
  const files = await listPipelineFiles(dir);
  if (files.length === 0) return [];
  const { cache } = options;
  const load = cache === undefined ? (await loader()).loadPipelineFile : (file: string) => cached().then((module) => module.loadPipelineFileCached(file, cache));
  const loaded = await Promise.all(files.map((file) => load(file)));
  markDuplicateNames(loaded);
  return loaded;
}

/** A pipeline whose name an earlier file already has is refused, with a problem naming that file. */
export function markDuplicateNames(loaded: LoadedPipeline[]): void {
  const byName = new Map<string, string>();
  for (const entry of loaded) {
    const name = entry.pipeline?.name;
    if (name === undefined) continue;
    const first = byName.get(name);
    if (first === undefined) byName.set(name, entry.file);
    else {
      entry.problems.push({ file: entry.file, line: 1, col: 1, path: 'name', message: `pipeline "${name}" is also defined in ${first}` });
      entry.pipeline = undefined;
    }
  }
}

// Loading (the YAML parser, the schema, the schedule rules) only when a file is read: commands that only list
// pipeline files or resolve a name by its file name start without it.
const loader = () => import('./load.js');
const cached = () => import('./cache.js');

function looksLikePath(ref: string): boolean {
  return ref.includes('/') || PIPELINE_FILE.test(ref) || /\.(ya?ml|ts)$/.test(ref);
}

/**
 * A pipeline reference as users give it: a file path, or a name looked up in the pipelines directory (file name
 * first, then the `name:` inside each file). Returns the file to load.
 */
export async function resolvePipelineFile(ref: string, dir: string): Promise<string> {
  if (looksLikePath(ref)) return ref;
  const files = await listPipelineFiles(dir);
  const byFileName = files.find((file) => nameFromFile(file) === ref);
  if (byFileName !== undefined) return byFileName;
  if (await isFile(ref)) return ref;
  const { loadPipelineFile } = await loader();
  const loaded = await Promise.all(files.map((file) => loadPipelineFile(file)));
  const byName = loaded.find((entry) => entry.pipeline?.name === ref);
  if (byName !== undefined) return byName.file;
  const names = [...new Set(loaded.map((entry) => entry.pipeline?.name ?? nameFromFile(entry.file)))].sort();
  throw new FlowError('E_PIPELINE_NOT_FOUND', `unknown pipeline "${ref}"${didYouMean(ref, names)}`, {
    hint: names.length > 0
      ? `pipelines in ${dir}: ${names.join(', ')}`
      : `${dir} has no pipelines; give a file path, set --dir or FLOW_PIPELINES, or run \`flow init\``,
  });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(join(path))).isFile();
  } catch {
    return false;
  }
}
