/**
 * The files a shell task answers through: `$FLOW_OUTPUT` (outputs) and, for a branch task, `$FLOW_BRANCH` (the
 * downstream tasks to run). Both are made empty before the attempt, beside its log, read after it, and removed. A
 * task that runs as another user cannot reach FLOW_HOME (0700, flow's own): its files go in a directory of its own
 * under the system's temporary directory, 0700 and given to that user.
 */
import { chownSync, closeSync, constants, fstatSync, lstatSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openPrivateSync } from '../util/private-fs.js';
import type { Task } from '../pipeline/types.js';
import type { AttemptOutcome } from './events.js';
import type { RunAs } from './run-as.js';
import { OUTPUT_LIMIT_BYTES, outputsOfValue, parseOutputFile, tooLarge } from './outputs.js';

export interface TaskFiles {
  env: Record<string, string>;
  output: string;
  branch: string | undefined;
  /** The directory made for a task run as another user, removed with the files. */
  dir?: string | undefined;
}

export function prepareTaskFiles(logFile: string, task: Task, runAs: RunAs | undefined): TaskFiles {
  const dir = runAs === undefined ? undefined : mkdtempSync(join(tmpdir(), 'flow-task-'));
  if (dir !== undefined && runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
  const base = dir === undefined ? logFile.replace(/\.log$/, '') : join(dir, basename(logFile).replace(/\.log$/, ''));
  const output = `${base}.output`;
  const branch = task.branch === true ? `${base}.branch` : undefined;
  for (const file of [output, branch]) {
    if (file === undefined) continue;
    closeSync(openPrivateSync(file, 'w'));
    if (runAs !== undefined) chownSync(file, runAs.uid, runAs.gid);
  }
  return { env: { FLOW_OUTPUT: output, ...(branch === undefined ? {} : { FLOW_BRANCH: branch }) }, output, branch, dir };
}

export function removeTaskFiles(files: TaskFiles): void {
  for (const file of [files.output, files.branch]) if (file !== undefined) unlinkIfThere(file);
  if (files.dir !== undefined) rmSync(files.dir, { recursive: true, force: true });
}

/**
 * Reads what a shell attempt that succeeded left in its files into its outcome, or turns the outcome into a failure
 * that says what was wrong (`$FLOW_OUTPUT line 3: ...`). `downstream`: the task's direct downstream tasks.
 */
export function collectShell(outcome: AttemptOutcome, files: TaskFiles, downstream: readonly string[]): void {
  const output = readLimited(files.output);
  const parsed = output === undefined ? { error: 'could not read $FLOW_OUTPUT' } : output.bytes > OUTPUT_LIMIT_BYTES ? { error: tooLarge(output.bytes) } : parseOutputFile(output.text);
  if ('error' in parsed) {
    outcome.error = parsed.error;
    return;
  }
  if (Object.keys(parsed.outputs).length > 0) outcome.outputs = parsed.outputs;
  if (files.branch !== undefined) {
    const text = readLimited(files.branch)?.text ?? '';
    chooseBranch(outcome, text.split('\n').map((line) => line.trim()).filter((line) => line !== ''), downstream, '$FLOW_BRANCH');
  }
}

/** The same for a function task, from the value it returned: outputs, or for a branch task the ids to follow. */
export function collectValue(outcome: AttemptOutcome, task: Task, value: unknown, downstream: readonly string[]): void {
  if (task.branch === true) {
    const ids = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    if (ids.some((id) => typeof id !== 'string')) {
      outcome.error = 'a branch function must return a task id or an array of task ids';
      return;
    }
    chooseBranch(outcome, ids as string[], downstream, 'the branch function');
    return;
  }
  if (task.shortCircuit === true && !value) {
    outcome.shortCircuit = `returned ${JSON.stringify(value) ?? String(value)}`;
    return;
  }
  const parsed = outputsOfValue(value);
  if ('error' in parsed) outcome.error = parsed.error;
  else if (Object.keys(parsed.outputs).length > 0) outcome.outputs = parsed.outputs;
}

function chooseBranch(outcome: AttemptOutcome, ids: string[], downstream: readonly string[], where: string): void {
  const wrong = ids.filter((id) => !downstream.includes(id));
  if (wrong.length > 0) {
    const those = downstream.length === 0 ? 'it has none' : `those are ${downstream.map((id) => `"${id}"`).join(', ')}`;
    outcome.error = `${where} names ${wrong.map((id) => `"${id}"`).join(', ')}, not a task directly downstream of this one (${those})`;
    return;
  }
  outcome.branch = [...new Set(ids)];
}

/** The file's size, and its text when within the limit (a bigger file is not read at all). */
/** One unlink (rmSync looks first, then unlinks): this runs after every attempt. */
function unlinkIfThere(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function readLimited(file: string): { bytes: number; text: string } | undefined {
  // Most tasks leave the file empty: one lstat instead of open, fstat and close.
  const seen = lstatSync(file, { throwIfNoEntry: false });
  if (seen?.isFile() === true && seen.size === 0) return { bytes: 0, text: '' };
  let fd: number | undefined;
  try {
    // The task may have put something else there: never follow a link, never wait on a fifo.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const bytes = stat.size;
    if (bytes > OUTPUT_LIMIT_BYTES) return { bytes, text: '' };
    const buffer = Buffer.alloc(bytes);
    const read = bytes === 0 ? 0 : readSync(fd, buffer, 0, bytes, 0);
    return { bytes, text: buffer.subarray(0, read).toString('utf8') };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
