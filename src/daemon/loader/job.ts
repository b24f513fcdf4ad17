/**
 * The catalog's loading work: pipeline files validated (src/pipeline/load.ts), their schedules parsed and their
 * zones named, as plain data that crosses from the loader's process (server.ts) to the daemon, with the zones'
 * offset tables. This module and what it imports (the YAML parser, the schema library, ICU's locale data through
 * Intl) are what the daemon keeps out of its own process.
 */
import { loadPipelineFile, type LoadedPipeline } from '../../pipeline/load.js';
import { parseSchedule } from '../../schedule/parse.js';
import type { Schedule } from '../../schedule/schedule.js';
import { zoneYears, type ZoneYear } from '../../schedule/zone.js';
import { systemTimeZone } from '../../util/timezone.js';

export interface CatalogLoad extends LoadedPipeline {
  /** The pipeline's schedule, parsed (validation has checked it). */
  schedule?: Schedule | undefined;
  /** Its `timezone:`, or the system's zone, which cron uses when a job names none. */
  zone?: string | undefined;
}

export interface CatalogLoads {
  loaded: CatalogLoad[];
  /** The offset tables of the pipelines' zones around now (src/schedule/zone.ts). */
  zones: ZoneYear[];
}

/** Every file loaded, in the order given; throws only when a file cannot be read at all (E_NOT_FOUND). */
export async function loadForCatalog(files: readonly string[], now = new Date()): Promise<CatalogLoads> {
  const loaded: CatalogLoad[] = (await Promise.all(files.map((file) => loadPipelineFile(file)))).map((entry) => {
    if (entry.pipeline === undefined) return entry;
    const expression = entry.pipeline.schedule;
    return { ...entry, schedule: expression === undefined ? undefined : parseSchedule(expression), zone: entry.pipeline.timezone ?? systemTimeZone() };
  });
  const zones = loaded.flatMap((entry) => (entry.schedule === undefined || entry.zone === undefined ? [] : [entry.zone]));
  return { loaded, zones: zoneYears(zones, now) };
}
