/**
 * Writing the planned pipeline files. A file that is there is never overwritten: it is created exclusively (`wx`),
 * so one that appeared since the plan was made is found here too, and left alone unless it has the same text.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { FlowError } from '../errors.js';
import { ensureDir } from '../util/fs.js';
import type { ImportPlan, PlannedPipeline } from './plan.js';

export interface WriteResult {
  written: PlannedPipeline[];
  identical: PlannedPipeline[];
  conflicts: PlannedPipeline[];
}

export async function writePipelines(plan: ImportPlan): Promise<WriteResult> {
  const result: WriteResult = { written: [], identical: [], conflicts: [] };
  const wanted = plan.pipelines.filter((pipeline) => pipeline.state !== 'conflict');
  result.conflicts.push(...plan.pipelines.filter((pipeline) => pipeline.state === 'conflict'));
  if (wanted.some((pipeline) => pipeline.state === 'new')) {
    try {
      ensureDir(plan.dir);
    } catch (error) {
      throw new FlowError('E_NOT_FOUND', `cannot create the pipelines directory ${plan.dir}: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const pipeline of wanted) {
    if (pipeline.state === 'identical') {
      result.identical.push(pipeline);
      continue;
    }
    try {
      await writeFile(pipeline.file, pipeline.text, { flag: 'wx' });
      result.written.push(pipeline);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new FlowError('E_STORE', `cannot write ${pipeline.file}: ${(error as Error).message}`, { cause: error });
      }
      const now = await readFile(pipeline.file, 'utf8').catch(() => undefined);
      (now === pipeline.text ? result.identical : result.conflicts).push({ ...pipeline, state: now === pipeline.text ? 'identical' : 'conflict' });
    }
  }
  return result;
}

/** Takes back files this import wrote, when a later step failed. */
export async function removeWritten(pipelines: readonly PlannedPipeline[]): Promise<void> {
  await Promise.all(pipelines.map((pipeline) => rm(pipeline.file, { force: true })));
}
