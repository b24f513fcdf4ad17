/**
 * Retention: a pipeline keeps its newest `keepRuns` runs, and none older than `keepDays` days; a run that is
 * still running is never removed. A run goes with its log directory and its index entry. The store prunes the
 * pipeline it just recorded as each run ends; `flow prune` does every pipeline on demand.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryStore } from './history.js';
import { runFile, runLogDir, startOfRunId } from './layout.js';
import { journalFile } from './journal.js';
import { pipelinesWithRuns, runIdsOf, type RunRef } from './run-files.js';

export interface Retention {
  keepRuns: number;
  keepDays: number;
}

export const DEFAULT_RETENTION: Retention = { keepRuns: 1000, keepDays: 90 };

export interface PruneResult {
  removed: RunRef[];
  /** Bytes of run files and logs removed (or that would be). */
  bytes: number;
}

export async function prune(store: HistoryStore, retention: Retention, options: { pipeline?: string; dryRun?: boolean } = {}): Promise<PruneResult> {
  const oldest = store.now().getTime() - retention.keepDays * 86_400_000;
  const pipelines = options.pipeline === undefined ? await pipelinesWithRuns(store.layout) : [options.pipeline];
  const candidates: RunRef[] = [];
  for (const pipeline of pipelines) {
    const ids = await runIdsOf(store.layout, pipeline);
    const beyond = ids.length - retention.keepRuns;
    ids.forEach((id, at) => {
      if (at < beyond || startOfRunId(id) < oldest) candidates.push({ pipeline, id });
    });
  }
  // The index is read only when file names alone name runs to remove (not as every run ends: a daemon ends many).
  const running = candidates.length === 0 ? new Set<string>() : new Set((await store.index()).runs.filter((run) => run.status === 'running').map((run) => run.id));
  const removed = candidates.filter((ref) => !running.has(ref.id));
  let bytes = 0;
  for (const ref of removed) bytes += (await sizeOf(runFile(store.layout, ref.pipeline, ref.id))) + (await sizeOf(runLogDir(store.layout, ref.pipeline, ref.id)));
  if (options.dryRun || removed.length === 0) return { removed, bytes };

  // The index first: a run that is no longer listed but still has files is harmless; the reverse is not.
  const gone = new Set(removed.map((ref) => ref.id));
  await store.changeIndex((data) => {
    data.runs = data.runs.filter((run) => !gone.has(run.id));
  });
  for (const ref of removed) {
    await rm(runLogDir(store.layout, ref.pipeline, ref.id), { recursive: true, force: true });
    await rm(runFile(store.layout, ref.pipeline, ref.id), { force: true });
    await rm(journalFile(store.layout, ref.pipeline, ref.id), { force: true });
  }
  return { removed, bytes };
}

async function sizeOf(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return info.size;
    let total = 0;
    for (const name of await readdir(path)) total += await sizeOf(join(path, name));
    return total;
  } catch {
    return 0;
  }
}
