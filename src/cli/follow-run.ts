/**
 * Following a whole run, as `journalctl -f` follows a unit: every task's output as it is written, each line
 * prefixed with its task id (in a colour of its own), until the run ends. It reads the run's record and log files,
 * so it follows a run of the daemon, of a foreground `flow run` or of a backfill alike.
 */
import type { ChalkInstance } from 'chalk';
import { FileFollower } from '../store/follow.js';
import type { HistoryStore } from '../store/history.js';
import type { RunRecord } from '../store/record.js';
import type { RunRef } from '../store/run-files.js';
import { FlowError } from '../errors.js';

const POLL_MS = 150;
/** A run just triggered may take a moment to be on disk. */
const APPEAR_MS = 30_000;
const PALETTE = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'redBright', 'cyanBright', 'magentaBright'] as const;

export interface FollowOptions {
  print: (line: string) => void;
  color: ChalkInstance;
  /** Start each log at its end: show only what is written from now on. */
  fromEnd?: boolean;
}

export async function followRun(store: HistoryStore, ref: RunRef, options: FollowOptions): Promise<RunRecord> {
  const followers = new Map<string, FileFollower>();
  const done = new Set<string>();
  const deadline = Date.now() + APPEAR_MS;
  let prefixes: Map<string, string> | undefined;
  for (;;) {
    const record = await store.readRun(ref);
    if (record === undefined) {
      if (Date.now() > deadline) throw new FlowError('E_RUN_NOT_FOUND', `run ${ref.id} of ${ref.pipeline} was not recorded`);
      await pause();
      continue;
    }
    prefixes ??= prefixesOf(record, options.color);
    const prefixed = prefixes;
    for (const task of record.tasks) {
      for (const attempt of task.attempts) {
        const key = `${task.id}\u0000${attempt.attempt}`;
        if (done.has(key) || attempt.log === '') continue;
        let follower = followers.get(key);
        if (follower === undefined) {
          const prefix = prefixed.get(task.id) ?? `${task.id} | `;
          follower = new FileFollower(attempt.log, (lines) => lines.forEach((line) => options.print(prefix + line)), options.fromEnd === true && attempt.ended_at === null ? 'end' : 'start');
          followers.set(key, follower);
        }
        if (attempt.ended_at !== null) {
          follower.close();
          followers.delete(key);
          done.add(key);
        } else {
          follower.poll();
        }
      }
    }
    if (record.status !== 'running') {
      for (const follower of followers.values()) follower.close();
      return record;
    }
    await pause();
  }
}

function prefixesOf(record: RunRecord, color: ChalkInstance): Map<string, string> {
  const width = Math.min(24, Math.max(1, ...record.tasks.map((task) => task.id.length)));
  return new Map(record.tasks.map((task, index) => [task.id, `${color[PALETTE[index % PALETTE.length] ?? 'cyan'](task.id.padEnd(width))} ${color.dim('|')} `]));
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
