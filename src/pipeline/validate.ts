/** Validation of files and directories as `flow validate` takes them: every problem of every file, at once. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadDirectory } from './discover.js';
import { loadPipelineFile, type LoadedPipeline } from './load.js';

export async function validatePaths(paths: readonly string[]): Promise<LoadedPipeline[]> {
  const results: LoadedPipeline[] = [];
  for (const path of paths) {
    const kind = await stat(path).then(
      (stats) => (stats.isDirectory() ? 'dir' : 'file'),
      () => 'missing',
    );
    if (kind === 'dir') results.push(...(await loadDirectory(path)));
    else if (kind === 'file') results.push(await loadPipelineFile(path));
    else results.push({ file: resolve(path), pipeline: undefined, problems: [{ file: resolve(path), path: '', message: 'no such file or directory' }] });
  }
  return results;
}

