/**
 * Room kept for the end of runs on a disk that fills up. A full disk usually fills while a run is running (its
 * own tasks write), and the run's final record is the one write that must not be lost. So FLOW_HOME holds a
 * `reserve` file of 1 MiB, made by commands that write when at least 8 MiB are free; when the final record of a run meets
 * ENOSPC, the reserve is removed and the write tried again in the room it leaves. New runs never use it.
 *
 * When even that fails, the outcome is kept where a full disk still takes it: in a file name. Creating an empty
 * file takes an inode and a directory entry, no data block, so `runs/<pipeline>/<run-id>.ended-<status>` can be
 * made when nothing else can. Recovery reads it and records the run as it ended, with the reason, instead of
 * `interrupted` (see recovery.ts).
 */
import { closeSync, constants, lstatSync, openSync, readdirSync, statfsSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus } from '../engine/events.js';
import type { Layout } from './layout.js';

export const RESERVE_BYTES = 1024 * 1024;
/** The reserve is made only where this much is free: it must never be what fills a nearly full disk. */
const MAKE_WHEN_FREE_BYTES = 8 * RESERVE_BYTES;

export function reserveFile(layout: Layout): string {
  return join(layout.home, 'reserve');
}

/** Makes the reserve where it is missing and there is plenty of room; says nothing when there is not. */
export function keepReserve(layout: Layout): void {
  const file = reserveFile(layout);
  try {
    if (lstatSync(file).size === RESERVE_BYTES) return;
    unlinkSync(file);
  } catch {
    // missing: made below
  }
  try {
    const fs = statfsSync(layout.home);
    if (fs.bavail * fs.bsize < MAKE_WHEN_FREE_BYTES) return;
  } catch {
    return;
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch {
    return;
  }
  try {
    // Real zeros, not a hole: a sparse file would free nothing when removed.
    writeSync(fd, Buffer.alloc(RESERVE_BYTES));
    closeSync(fd);
  } catch {
    closeSync(fd);
    unlinkQuietly(file);
  }
}

/** Removes the reserve to make room; true when there was one. */
export function releaseReserve(layout: Layout): boolean {
  try {
    unlinkSync(reserveFile(layout));
    return true;
  } catch {
    return false;
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

function markerPrefix(runId: string): string {
  return `${runId}.ended-`;
}

/** Notes how a run ended in an empty file's name; false when not even that could be made. */
export function markOutcome(layout: Layout, pipeline: string, runId: string, status: RunStatus): boolean {
  try {
    closeSync(openSync(join(layout.runs, pipeline, `${markerPrefix(runId)}${status}`), constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600));
    return true;
  } catch {
    return false;
  }
}

/** How a run ended and when, if its runner could only note it in a file name. */
export function readOutcome(layout: Layout, pipeline: string, runId: string): { status: RunStatus; at: Date } | undefined {
  let names: string[];
  try {
    names = readdirSync(join(layout.runs, pipeline));
  } catch {
    return undefined;
  }
  const name = names.find((entry) => entry.startsWith(markerPrefix(runId)));
  const status = name?.slice(markerPrefix(runId).length);
  if (name === undefined || !isEndStatus(status)) return undefined;
  let at = new Date();
  try {
    at = statSync(join(layout.runs, pipeline, name)).mtime;
  } catch {
    // the marker's own time is a nicety
  }
  return { status, at };
}

export function clearOutcome(layout: Layout, pipeline: string, runId: string): void {
  let names: string[];
  try {
    names = readdirSync(join(layout.runs, pipeline));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(markerPrefix(runId))) unlinkQuietly(join(layout.runs, pipeline, name));
}

function isEndStatus(status: string | undefined): status is RunStatus {
  return status === 'success' || status === 'failed' || status === 'cancelled' || status === 'skipped';
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
