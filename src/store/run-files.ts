/**
 * The run files: one lowdb document per run (and, while it runs, its journal: see journal.ts), and finding them by
 * pipeline and by id without opening each.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { CorruptFileError, DurableJsonFile, setAside } from './durable-file.js';
import { isRunId, runFile, type Layout } from './layout.js';
import type { RunRecord } from './record.js';
import { runRecordShape } from './shapes.js';
import { journalFile, readJournal, replay } from './journal.js';

export interface RunRef {
  pipeline: string;
  id: string;
}

export async function pipelinesWithRuns(layout: Layout): Promise<string[]> {
  try {
    return (await readdir(layout.runs, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

/** The runs of one pipeline, oldest first, from file names alone (a run that has only begun has only a journal). */
export async function runIdsOf(layout: Layout, pipeline: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(layout.runs, pipeline));
  } catch {
    return [];
  }
  const ids = new Set<string>();
  for (const name of names) {
    const id = name.endsWith('.json') ? name.slice(0, -5) : name.endsWith('.journal') ? name.slice(0, -8) : undefined;
    if (id !== undefined && isRunId(id)) ids.add(id);
  }
  return [...ids].sort();
}

/** Every run, newest first (optionally of one pipeline), as references. */
export async function allRunRefs(layout: Layout, pipeline?: string): Promise<RunRef[]> {
  const pipelines = pipeline === undefined ? await pipelinesWithRuns(layout) : [pipeline];
  const refs: RunRef[] = [];
  for (const name of pipelines) for (const id of await runIdsOf(layout, name)) refs.push({ pipeline: name, id });
  return refs.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Finds a run's pipeline from its id alone. */
export async function findRunRef(layout: Layout, runId: string): Promise<RunRef | undefined> {
  for (const pipeline of await pipelinesWithRuns(layout)) {
    if ((await runIdsOf(layout, pipeline)).includes(runId)) return { pipeline, id: runId };
  }
  return undefined;
}

export type Warn = (message: string) => void;

/**
 * Reads one run: its record file with its journal replayed over it. A file that does not parse, has the wrong shape
 * or is a directory is moved aside with a warning (the run then reads from the other file alone), and a
 * `runs/<pipeline>` that is a file, not a directory; a run with neither file reads as missing.
 */
export async function readRun(layout: Layout, ref: RunRef, warn: Warn): Promise<RunRecord | undefined> {
  const file = runFile(layout, ref.pipeline, ref.id);
  const db = new Low<RunRecord | null>(new DurableJsonFile<RunRecord | null>(file, runRecordShape), null);
  try {
    try {
      await db.read();
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      await setAside(error, 'run record', '', warn);
      db.data = null;
    }
    const journal = journalFile(layout, ref.pipeline, ref.id);
    try {
      const text = await readJournal(journal);
      return (text === undefined ? db.data : replay(db.data, text, journal)) ?? undefined;
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      await setAside(error, 'run journal', '', warn);
      return db.data ?? undefined;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
    await setAsideNonDirectory(join(layout.runs, ref.pipeline), warn);
    return undefined;
  }
}

/** `runs/<pipeline>` (or `logs/<pipeline>`) is a file where a directory belongs: it is moved aside. */
export async function setAsideNonDirectory(dir: string, warn: Warn): Promise<void> {
  let link: boolean;
  try {
    const info = await lstat(dir);
    if (info.isDirectory()) return;
    link = info.isSymbolicLink();
  } catch {
    return;
  }
  // A link is set aside, never followed: renaming it leaves whatever it points to untouched.
  await setAside(new CorruptFileError(dir, link ? 'is a symbolic link, not a directory (flow never writes through links)' : 'is a file, not a directory'), 'run directory', '', warn);
}

export async function writeRun(layout: Layout, record: RunRecord): Promise<void> {
  const db = new Low<RunRecord>(new DurableJsonFile(runFile(layout, record.pipeline, record.id)), record);
  await db.write();
}
