/**
 * The catalog's loading work: pipeline files validated (src/pipeline/load.ts) and their schedules parsed, as plain
 * data that crosses from the loader's process (server.ts) to the daemon. This module and what it imports (the YAML
 * parser, the schema library, the expression parser) are what the daemon keeps out of its own process.
 */
import { loadPipelineFile, type LoadedPipeline } from '../../pipeline/load.js';
import { parseSchedule } from '../../schedule/parse.js';
import type { Schedule } from '../../schedule/schedule.js';

export interface CatalogLoad extends LoadedPipeline {
  /** The pipeline's schedule, parsed (validation has checked it). */
  schedule?: Schedule | undefined;
}

/** Every file loaded, in the order given; throws only when a file cannot be read at all (E_NOT_FOUND). */
export async function loadForCatalog(files: readonly string[]): Promise<CatalogLoad[]> {
  const loaded = await Promise.all(files.map((file) => loadPipelineFile(file)));
  return loaded.map((entry) => {
    const expression = entry.pipeline?.schedule;
    return expression === undefined ? entry : { ...entry, schedule: parseSchedule(expression) };
  });
}
