/**
 * history.json: the newest runs' summaries, so that `flow history` and crash recovery read one small file. It is
 * a cache of the run files: bounded (the newest 1000 finished runs, and every running one), changed only under
 * history.lock, and rebuilt from the run files when it is missing, does not parse or has the wrong shape.
 */
import { Low } from 'lowdb';
import { errnoWords } from '../util/errno.js';
import { CorruptFileError, DurableJsonFile, setAside } from './durable-file.js';
import type { Layout } from './layout.js';
import { withLock } from './lock.js';
import { indexShape } from './shapes.js';
import type { RunSummary } from './summary.js';

export const INDEX_LIMIT = 1000;

export interface IndexData {
  version: 1;
  /** Oldest first. */
  runs: RunSummary[];
  /** True once a finished run has been dropped to keep the index bounded: older runs are then in run files only. */
  truncated: boolean;
}

const empty = (): IndexData => ({ version: 1, runs: [], truncated: false });

export type Rebuild = () => Promise<IndexData>;
export type Warn = (message: string) => void;

/**
 * Reads the index. One that is corrupt (not JSON, the wrong shape, a directory) is moved aside with a warning and
 * rebuilt from the run files, under the lock; one that is missing while run files exist is rebuilt too. Where the
 * rebuilt index cannot be written (a read-only or full FLOW_HOME) it is rebuilt in memory for this reader alone.
 */
export async function readIndex(layout: Layout, rebuild: Rebuild, warn: Warn, hasRuns: () => Promise<boolean>): Promise<IndexData> {
  const db = new Low<IndexData>(new DurableJsonFile(layout.index, indexShape), empty());
  const initial = db.data;
  try {
    await db.read();
    // lowdb keeps the default data when the file does not exist yet.
    if (db.data !== initial || !(await hasRuns())) return normalize(db.data);
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
  }
  try {
    return await changeIndex(layout, rebuild, warn, (data) => data);
  } catch (error) {
    if (!cannotWrite(error)) throw error;
    warn(`cannot write the history index ${layout.index} (${errnoWords(error)}); read the run files instead`);
    return rebuild();
  }
}

/** Read–modify–write of the index under history.lock, re-reading it under the lock. */
export async function changeIndex(
  layout: Layout,
  rebuild: Rebuild,
  warn: Warn,
  change: (data: IndexData) => IndexData | void,
  signal?: AbortSignal,
): Promise<IndexData> {
  return withLock(
    layout.lock,
    async () => {
      const initial = empty();
      const db = new Low<IndexData>(new DurableJsonFile(layout.index, indexShape), initial);
      let missing = false;
      try {
        await db.read();
        missing = db.data === initial;
      } catch (error) {
        if (!(error instanceof CorruptFileError)) throw error;
        db.data = await rebuild();
        await setAside(error, 'history index', ` and rebuilt the index from ${db.data.runs.length} run files`, warn);
      }
      let data = normalize(db.data);
      if (missing) data = await rebuild();
      data = change(data) ?? data;
      trim(data);
      db.data = data;
      await db.write();
      return data;
    },
    { what: 'the history index', warn, signal },
  );
}

/** Errors of a FLOW_HOME that can be read but not written now. */
export function cannotWrite(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC' || code === 'EDQUOT';
}

function normalize(data: IndexData): IndexData {
  return { version: 1, runs: data.runs, truncated: data.truncated };
}

/** Keeps every running run and the newest INDEX_LIMIT finished ones, oldest first. */
function trim(data: IndexData): void {
  data.runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const finished = data.runs.filter((run) => run.status !== 'running');
  if (finished.length <= INDEX_LIMIT) return;
  const drop = new Set(finished.slice(0, finished.length - INDEX_LIMIT).map((run) => run.id));
  data.runs = data.runs.filter((run) => !drop.has(run.id));
  data.truncated = true;
}

/** Many runs into the index at once, with one pass over it (a burst of thousands would otherwise scan it per run). */
export function upsertAll(data: IndexData, summaries: readonly RunSummary[]): void {
  const at = new Map(data.runs.map((run, i) => [run.id, i]));
  for (const summary of summaries) {
    const i = at.get(summary.id);
    if (i === undefined) at.set(summary.id, data.runs.push(summary) - 1);
    else data.runs[i] = summary;
  }
}

export function upsert(data: IndexData, summary: RunSummary): void {
  const at = data.runs.findIndex((run) => run.id === summary.id);
  if (at === -1) data.runs.push(summary);
  else data.runs[at] = summary;
}
