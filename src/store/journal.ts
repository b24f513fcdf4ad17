/**
 * A run's journal, `runs/<pipeline>/<run-id>.journal`: while the run runs, what changed is appended here as one JSON
 * line per change instead of rewriting the whole record, so a run of n tasks writes O(n) bytes, not O(n²). Lines:
 *
 *   {"run": {...the whole record, tasks included}}   first line: the run as it starts (or as a retry reopens it)
 *   {"task": {...one task}}                           that task as it is now (found by id, added when new)
 *   {"run": {...the record without tasks}}            the run's own fields as they are now (status, hooks, …)
 *
 * Every line states a whole object, never a difference, so the record file plus the journal replayed in order is the
 * newest state whatever the record file holds (nothing, the start, or already the end). Text after the last newline
 * is a line cut short by kill -9 or a full disk, and is ignored; any other line that is not such an object makes the
 * journal corrupt (it is moved aside like any corrupt file, and the run reads from its record file alone).
 */
import { readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { openPrivate } from '../util/private-fs.js';
import { CorruptFileError } from './durable-file.js';
import { runDir, type Layout } from './layout.js';
import type { RunRecord, TaskRecord } from './record.js';
import { check } from './check.js';
import { runRecordShape } from './shapes.js';

export function journalFile(layout: Layout, pipeline: string, runId: string): string {
  return join(runDir(layout, pipeline), `${runId}.journal`);
}

export type JournalLine = { run: Omit<RunRecord, 'tasks'> & { tasks?: TaskRecord[] } } | { task: TaskRecord };

/**
 * The journal's text, or undefined when there is none. A journal that is a directory or a special file is corrupt.
 */
export async function readJournal(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new CorruptFileError(file, 'is a directory, not a file', error);
    throw error;
  }
}

/**
 * The record file's content (or null) with the journal's lines applied in order. Throws CorruptFileError for a line
 * that is not a change, or a result that is not a run record.
 */
export function replay(base: RunRecord | null, text: string, file: string): RunRecord | null {
  let record = base === null ? null : { ...base, tasks: [...base.tasks] };
  let at: Map<string, number> | undefined;
  const lines = text.split('\n');
  lines.pop(); // cut short, or the empty text after the final newline
  for (const [n, line] of lines.entries()) {
    let change: unknown;
    try {
      change = JSON.parse(line);
    } catch (error) {
      throw new CorruptFileError(file, `did not parse at line ${n + 1}`, error);
    }
    if (isObject(change) && isObject(change.run)) {
      const run = change.run as unknown as RunRecord;
      // A whole record starts afresh; the run's own fields keep the tasks known so far.
      if (Array.isArray(change.run.tasks)) at = undefined;
      record = Array.isArray(change.run.tasks) ? run : { ...run, tasks: record?.tasks ?? [] };
    } else if (isObject(change) && isObject(change.task) && typeof change.task.id === 'string') {
      if (record === null) continue;
      at ??= new Map(record.tasks.map((task, i) => [task.id, i]));
      const task = change.task as unknown as TaskRecord;
      const i = at.get(task.id);
      if (i === undefined) at.set(task.id, record.tasks.push(task) - 1);
      else record.tasks[i] = task;
    } else {
      throw new CorruptFileError(file, `has the wrong shape at line ${n + 1} (not a change of the run or of a task)`);
    }
  }
  if (record === null || lines.length === 0) return record;
  const checked = check(runRecordShape, record);
  if (!checked.success) throw new CorruptFileError(file, `has the wrong shape once replayed (${checked.problem})`);
  return checked.data as RunRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The writing end, owned by the run's process: lines are appended in order, gathered into one write per turn of the
 * event loop; `sync` makes what was written durable. A process killed with -9 loses nothing already written (the
 * kernel has it); a machine that loses power loses what came after the last sync, as with the record file before.
 */
export class JournalWriter {
  private pending: string[] = [];
  private chain: Promise<void>;
  private readonly handle: Promise<FileHandle>;
  private scheduled = false;

  /** Creates the journal afresh once `after` settles (a left-over one from an earlier pass of the run is emptied). */
  constructor(readonly file: string, after: Promise<unknown>) {
    this.handle = after.then(() => openPrivate(file, 'w'));
    this.chain = this.handle.then(() => undefined);
    this.chain.catch(() => undefined);
  }

  append(line: JournalLine): void {
    this.pending.push(`${JSON.stringify(line)}\n`);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush().catch(() => undefined);
    });
  }

  /** Writes what is pending, in order; rejects with the error of a write that failed (ENOSPC, say), then and after. */
  flush(): Promise<void> {
    if (this.pending.length === 0) return this.chain;
    const text = this.pending.join('');
    this.pending = [];
    this.chain = this.chain.then(async () => {
      await (await this.handle).write(text);
    });
    return this.chain;
  }

  async sync(): Promise<void> {
    await this.flush();
    await (await this.handle).datasync();
  }

  /** Writes what is pending and closes it; rejects as flush does. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.handle.then((handle) => handle.close()).catch(() => undefined);
    }
  }
}
