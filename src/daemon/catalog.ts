/**
 * The pipelines the daemon schedules, loaded from the pipelines directory (by a loader process: loader/client.ts) and
 * reloaded when it changes. A file that no longer validates keeps its last good version scheduled; its error is kept
 * for the log and `flow list`.
 */
import { stat } from 'node:fs/promises';
import { formatProblem } from '../errors.js';
import { planRun, type Plan } from '../engine/plan.js';
import type { Pipeline } from '../pipeline/types.js';
import type { Schedule } from '../schedule/schedule.js';
import { systemTimeZone } from '../util/timezone.js';
import type { RunAs } from '../engine/run-as.js';
import { resolveRunAs } from '../runs/run-as.js';
import { PipelineLoader, type CatalogLoad } from './loader/client.js';

export interface CatalogEntry {
  file: string;
  /** The last version that validated. */
  pipeline: Pipeline;
  plan: Plan;
  schedule: Schedule | undefined;
  zone: string;
  /** The file's current problem, while its last good version stays scheduled. */
  error: string | undefined;
  /** `user:` resolved at load, so firing never waits for a user lookup. */
  runAs: RunAs | null;
  mtimeMs: number;
}

export interface CatalogChange {
  added: string[];
  changed: string[];
  removed: string[];
  /** Files that no longer validate (their last good version stays), and files that never did. */
  broken: { file: string; message: string; kept: string | undefined }[];
}

export class Catalog {
  /** By pipeline file. */
  readonly entries = new Map<string, CatalogEntry>();

  private readonly loader = new PipelineLoader();

  constructor(readonly dir: string) {}

  byName(name: string): CatalogEntry | undefined {
    for (const entry of this.entries.values()) if (entry.pipeline.name === name) return entry;
    return undefined;
  }

  async reload(): Promise<CatalogChange> {
    const change: CatalogChange = { added: [], changed: [], removed: [], broken: [] };
    const loaded = await this.loader.load(this.dir);
    const seen = new Set<string>();
    for (const result of loaded) {
      seen.add(result.file);
      const previous = this.entries.get(result.file);
      const mtimeMs = await stat(result.file).then((info) => info.mtimeMs, () => 0);
      if (result.pipeline === undefined) {
        const message = result.problems.map(formatProblem).join('; ');
        if (previous !== undefined && previous.error !== message) previous.error = message;
        change.broken.push({ file: result.file, message, kept: previous?.pipeline.name });
        continue;
      }
      let runAs: RunAs | null;
      try {
        runAs = (await resolveRunAs(result.pipeline, process.env)) ?? null;
      } catch (error) {
        // user: that this daemon may not take (not root, no such user): refused, with the reason, not scheduled.
        const message = `${result.file}: ${(error as Error).message}`;
        change.broken.push({ file: result.file, message, kept: undefined });
        if (previous !== undefined) {
          this.entries.delete(result.file);
          change.removed.push(previous.pipeline.name);
        }
        continue;
      }
      const entry = toEntry(result, result.pipeline, mtimeMs, runAs);
      if (previous === undefined) change.added.push(entry.pipeline.name);
      else if (previous.mtimeMs !== mtimeMs || previous.error !== undefined || fingerprint(previous) !== fingerprint(entry)) change.changed.push(entry.pipeline.name);
      else continue;
      this.entries.set(result.file, entry);
    }
    for (const [file, entry] of this.entries) {
      if (!seen.has(file)) {
        this.entries.delete(file);
        change.removed.push(entry.pipeline.name);
      }
    }
    return change;
  }
}

function toEntry(loaded: CatalogLoad, pipeline: Pipeline, mtimeMs: number, runAs: RunAs | null): CatalogEntry {
  return {
    file: loaded.file,
    pipeline,
    plan: planRun(pipeline),
    schedule: loaded.schedule,
    zone: loaded.zone ?? pipeline.timezone ?? systemTimeZone(),
    error: undefined,
    runAs,
    mtimeMs,
  };
}

function fingerprint(entry: CatalogEntry): string {
  return JSON.stringify({ name: entry.pipeline.name, schedule: entry.pipeline.schedule, zone: entry.zone, plan: entry.plan });
}
