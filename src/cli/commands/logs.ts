/**
 * `flow logs <pipeline | run-id | task>`: a pipeline or a run means all of its tasks' output (a pipeline: its live
 * run, else its latest), each line prefixed with its task id — or, for one task, that task's log as it is; a task
 * means an attempt's output. `--follow` streams it while it runs, goes on to the next attempt when one follows,
 * and returns when the run (or the task) ends.
 */
import { createReadStream } from 'node:fs';
import { FlowError } from '../../errors.js';
import { findTaskRun, type FoundTask } from '../../store/find-attempt.js';
import { FileFollower } from '../../store/follow.js';
import type { HistoryStore } from '../../store/history.js';
import { tailLines } from '../../store/log-files.js';
import type { AttemptRecord } from '../../store/record.js';
import { colorsFor, writeLine, type Io } from '../ui.js';
import { openStore } from '../store.js';
import { followRun } from '../follow-run.js';
import { findRun, looksLikeRunId } from '../../store/find-run.js';
import type { RunRecord } from '../../store/record.js';

export interface LogsFlags {
  pipeline?: string;
  run?: string;
  attempt?: number;
  tail?: number;
  follow?: boolean;
  json?: boolean;
}

const POLL_MS = 200;

export async function logsCommand(ref: string, flags: LogsFlags, io: Io): Promise<number> {
  if (flags.follow !== true) {
    const { withClusterHistory } = await import('../cluster-history.js');
    const { clusterLogs } = await import('./cluster-logs.js');
    const shown = await withClusterHistory(io, (history) => clusterLogs(history, ref, flags, io));
    if (shown !== undefined) return shown.value;
  }
  const store = await openStore(io);
  const target = flags.pipeline === undefined && flags.run === undefined ? await runTarget(store, ref, flags.follow === true) : undefined;
  if (target === undefined) return taskLogs(store, ref, flags, io);
  if (target.tasks.length === 1 && target.tasks[0] !== undefined) return taskLogs(store, target.tasks[0].id, { ...flags, run: target.id }, io);
  if (flags.json) {
    const tasks = target.tasks.map((task) => ({ task: task.id, status: task.status, attempts: task.attempts.map((attempt) => ({ attempt: attempt.attempt, log: attempt.log })) }));
    writeLine(io.stdout, JSON.stringify({ pipeline: target.pipeline, run: target.id, status: target.status, tasks }, null, 2));
    return 0;
  }
  await followRun(store, { pipeline: target.pipeline, id: target.id }, { print: (line) => writeLine(io.stdout, line), color: colorsFor(io.stdout, io.env) });
  return 0;
}

/** The run a pipeline name or run id names (a pipeline: its live run when following, else its latest); else undefined. */
async function runTarget(store: HistoryStore, ref: string, live: boolean): Promise<RunRecord | undefined> {
  if (looksLikeRunId(ref)) return findRun(store, ref);
  const running = live ? await store.list({ pipeline: ref, status: 'running', limit: 1 }) : [];
  return running[0] ?? (await store.list({ pipeline: ref, limit: 1 }))[0];
}

async function taskLogs(store: HistoryStore, task: string, flags: LogsFlags, io: Io): Promise<number> {
  const found = await findTaskRun(store, { task, pipeline: flags.pipeline, run: flags.run });
  if (flags.follow) return follow(store, found, flags, io);
  const attempt = pickAttempt(found, flags.attempt);
  if (flags.json) {
    const lines = tailLines(attempt.log, flags.tail ?? Number.MAX_SAFE_INTEGER);
    writeLine(io.stdout, JSON.stringify({ pipeline: found.run.pipeline, run: found.run.id, task, attempt: attempt.attempt, status: found.task.status, log: attempt.log, lines }, null, 2));
    return 0;
  }
  if (flags.tail !== undefined) {
    for (const line of tailLines(attempt.log, flags.tail)) writeLine(io.stdout, line);
    return 0;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(attempt.log);
    stream.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve() : reject(error)));
    stream.on('end', resolve);
    stream.pipe(io.stdout, { end: false });
  });
  return 0;
}

function pickAttempt(found: FoundTask, number: number | undefined): AttemptRecord {
  const { run, task } = found;
  if (task.attempts.length === 0) {
    const why = task.status === 'pending' ? 'has not started yet' : `did not run (${task.status}${task.reason ? `: ${task.reason}` : ''})`;
    throw new FlowError('E_NOT_FOUND', `task "${task.id}" of run ${run.id} ${why}, so it has no log`);
  }
  if (number === undefined) return task.attempts.at(-1) as AttemptRecord;
  const attempt = task.attempts.find((entry) => entry.attempt === number);
  if (attempt === undefined) {
    throw new FlowError('E_NOT_FOUND', `task "${task.id}" of run ${run.id} has no attempt ${number}; it has ${task.attempts.length}`);
  }
  return attempt;
}

async function follow(store: HistoryStore, found: FoundTask, flags: LogsFlags, io: Io): Promise<number> {
  const color = colorsFor(io.stderr, io.env);
  const print = (lines: string[]): void => {
    for (const line of lines) writeLine(io.stdout, line);
  };
  let current: FoundTask = found;
  let attemptNo = flags.attempt ?? current.task.attempts.at(-1)?.attempt ?? 1;
  let follower: FileFollower | undefined;
  let first = true;
  for (;;) {
    const attempt = current.task.attempts.find((entry) => entry.attempt === attemptNo);
    if (attempt !== undefined && follower?.file !== attempt.log) {
      follower?.close();
      if (!first) writeLine(io.stderr, color.dim(`--- attempt ${attemptNo} ---`));
      if (first && flags.tail !== undefined) {
        print(tailLines(attempt.log, flags.tail));
        follower = new FileFollower(attempt.log, print, 'end');
      } else {
        follower = new FileFollower(attempt.log, print);
      }
      first = false;
    }
    follower?.poll();
    if (attempt?.ended_at != null) {
      const next = current.task.attempts.find((entry) => entry.attempt === attemptNo + 1);
      if (next !== undefined && flags.attempt === undefined) {
        attemptNo += 1;
        continue;
      }
      if (flags.attempt !== undefined || isFinal(current)) break;
    } else if (attempt === undefined && isFinal(current)) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const run = await store.readRun({ pipeline: current.run.pipeline, id: current.run.id });
    const task = run?.tasks.find((entry) => entry.id === current.task.id);
    if (run !== undefined && task !== undefined) current = { run, task };
  }
  follower?.close();
  return 0;
}

function isFinal(found: FoundTask): boolean {
  return found.task.status !== 'running' && found.task.status !== 'pending' ? true : found.run.status !== 'running';
}
