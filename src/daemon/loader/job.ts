/**
 * The catalog's loading work: pipeline files validated (src/pipeline/load.ts), their schedules parsed and their
 * zones named, as plain data that crosses from the loader's process (server.ts) to the daemon, with the zones'
 * offset tables. This module and what it imports (the YAML parser, the schema library, ICU's locale data through
 * Intl) are what the daemon keeps out of its own process.
 */
import { createHash } from 'node:crypto';
import { checkPipelineText, isTypeScriptFile, loadedFrom, loadPipelineFile, type LoadedPipeline } from '../../pipeline/load.js';
import { readPipelineText } from '../../pipeline/read.js';
import { parseSchedule } from '../../schedule/parse.js';
import type { Schedule } from '../../schedule/schedule.js';
import { zoneYears, type ZoneYear } from '../../schedule/zone.js';
import { systemTimeZone } from '../../util/timezone.js';

export interface CatalogLoad extends LoadedPipeline {
  /** The pipeline's schedule, parsed (validation has checked it). */
  schedule?: Schedule | undefined;
  /** Its `timezone:`, or the system's zone, which cron uses when a job names none. */
  zone?: string | undefined;
  /** Of the text checked (YAML files), so that a reload can ask for the file only if it changed. */
  digest?: string | undefined;
}

export interface CatalogLoads {
  loaded: (CatalogLoad | Unchanged)[];
  /** The offset tables of the pipelines' zones around now (src/schedule/zone.ts). */
  zones: ZoneYear[];
}

/** A file to load, with the digest of the text the daemon already has the result of (if any). */
export interface LoadRequest {
  file: string;
  digest?: string | undefined;
}

/** A file whose text is still the one of that digest: nothing to send back. */
export interface Unchanged {
  file: string;
  unchanged: true;
}

/**
 * Every file loaded, in the order given, with the digest of the text checked (YAML files: what they give depends
 * on their text alone); a file whose text has the digest asked is answered `unchanged`. Throws only when a file
 * cannot be read at all (E_NOT_FOUND).
 */
export async function loadForCatalog(requests: readonly LoadRequest[], now = new Date()): Promise<CatalogLoads> {
  const loaded = await Promise.all(requests.map((request) => loadOne(request)));
  const zones = loaded.flatMap((entry) => ('schedule' in entry && entry.schedule !== undefined && entry.zone !== undefined ? [entry.zone] : []));
  return { loaded, zones: zoneYears(zones, now) };
}

async function loadOne({ file, digest }: LoadRequest): Promise<CatalogLoad | Unchanged> {
  if (isTypeScriptFile(file)) return withSchedule(await loadPipelineFile(file));
  const read = await readPipelineText(file);
  if (!('text' in read)) return { ...read, pipeline: undefined };
  const now = createHash('sha256').update(read.text).digest('base64');
  if (now === digest) return { file: read.file, unchanged: true };
  return { ...withSchedule(loadedFrom(read.file, await checkPipelineText(read.file, read.text))), digest: now };
}

function withSchedule(entry: LoadedPipeline): CatalogLoad {
  if (entry.pipeline === undefined) return entry;
  const expression = entry.pipeline.schedule;
  return { ...entry, schedule: expression === undefined ? undefined : parseSchedule(expression), zone: entry.pipeline.timezone ?? systemTimeZone() };
}
