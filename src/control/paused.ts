/**
 * Paused pipelines, kept in `FLOW_HOME/paused.json` so a pause survives daemon restarts and reloads and can be set
 * with no daemon running. Changes are read-modify-write under a lock (the CLI and the daemon may both write), and
 * durable (temp file, fsync, rename). A file that does not parse is moved aside: nothing counts as paused then.
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { writeDurably } from '../store/durable-file.js';
import { homeError } from '../store/history.js';
import { withLock } from '../store/lock.js';
import { FlowError } from '../errors.js';
import { ensurePrivateHome } from '../util/private-fs.js';
import { isoWithOffset } from '../util/time.js';

export interface PausedData {
  version: 1;
  pipelines: Record<string, { paused_at: string }>;
}

export function pausedFile(home: string): string {
  return join(home, 'paused.json');
}

/** The paused pipelines now: name → when it was paused. */
export function readPaused(home: string, warn: (message: string) => void = () => undefined): Map<string, Date> {
  const data = readData(home, warn);
  return new Map(Object.entries(data.pipelines).map(([name, entry]) => [name, new Date(entry.paused_at)]));
}

export interface PauseChange {
  pipeline: string;
  /** Whether it was paused before this change. */
  was: boolean;
  /** When it was (or is) paused. */
  pausedAt: Date | undefined;
}

export async function setPaused(home: string, pipeline: string, paused: boolean, now: Date = new Date(), warn: (message: string) => void = () => undefined): Promise<PauseChange> {
  const file = pausedFile(home);
  try {
    ensurePrivateHome(home);
  } catch (error) {
    throw error instanceof FlowError ? error : homeError(home, error);
  }
  return withLock(`${file}.lock`, async () => {
    const data = readData(home, warn);
    const before = data.pipelines[pipeline];
    const change: PauseChange = { pipeline, was: before !== undefined, pausedAt: before === undefined ? undefined : new Date(before.paused_at) };
    if (paused && before === undefined) {
      data.pipelines[pipeline] = { paused_at: isoWithOffset(now) };
      change.pausedAt = now;
    } else if (!paused && before !== undefined) {
      delete data.pipelines[pipeline];
    } else {
      return change;
    }
    await writeDurably(file, `${JSON.stringify(data, null, 2)}\n`);
    return change;
  }, { what: file, timeoutMs: 10_000 });
}

function readData(home: string, warn: (message: string) => void): PausedData {
  const file = pausedFile(home);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { version: 1, pipelines: {} };
  }
  try {
    const parsed = JSON.parse(text) as PausedData;
    const pipelines: PausedData['pipelines'] = {};
    for (const [name, entry] of Object.entries(parsed.pipelines ?? {})) {
      if (typeof entry?.paused_at === 'string' && !Number.isNaN(Date.parse(entry.paused_at))) pipelines[name] = { paused_at: entry.paused_at };
    }
    return { version: 1, pipelines };
  } catch {
    const aside = `${file}.corrupt-${Date.now()}`;
    try {
      renameSync(file, aside);
      warn(`${file} did not parse; kept it as ${aside}; no pipeline counts as paused`);
    } catch {
      warn(`${file} did not parse; no pipeline counts as paused`);
    }
    return { version: 1, pipelines: {} };
  }
}
