/**
 * A lock across processes: a file created with O_EXCL holding the owner's pid, start time and boot id. No file
 * descriptor stays open, so task processes inherit nothing. A lock whose owner no longer exists is taken over at
 * once (no staleness timeout): the taker first holds a short-lived `.takeover` guard, re-reads the lock under it,
 * and removes it only if the same dead owner still holds it, so two takers never both win.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { FlowError } from '../errors.js';
import { liveness, selfId, type ProcessId } from '../util/proc.js';

const POLL_MIN_MS = 2;
const POLL_MAX_MS = 50;
/** A lock file still empty after this long belongs to a process that died between creating and writing it. */
const EMPTY_GRACE_MS = 2_000;

export interface LockOptions {
  /** Give up after this long, with E_LOCKED naming the holder. */
  timeoutMs?: number;
  what?: string;
}

export async function withLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  await acquire(path, options);
  try {
    return await fn();
  } finally {
    release(path);
  }
}

export async function acquire(path: string, options: LockOptions = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let wait = POLL_MIN_MS;
  for (;;) {
    if (tryCreate(path)) return;
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (isStale(path, holder)) {
      takeOver(path, holder);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder === 'empty' ? 'another process' : `pid ${holder.pid} on ${holder.host}`;
      throw new FlowError('E_LOCKED', `${options.what ?? path} is locked by ${who}`, {
        hint: `if no flow process is running, remove ${path}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(POLL_MAX_MS, wait * 2);
  }
}

export function release(path: string): void {
  const holder = readHolder(path);
  if (holder !== 'gone' && holder !== 'empty' && holder.pid === process.pid) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(selfId()));
  } finally {
    closeSync(fd);
  }
  return true;
}

type Holder = ProcessId | 'empty' | 'gone';

function readHolder(path: string): Holder {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    return JSON.parse(text) as ProcessId;
  } catch {
    return 'empty';
  }
}

function isStale(path: string, holder: ProcessId | 'empty'): boolean {
  if (holder === 'empty') {
    try {
      return Date.now() - statSync(path).mtimeMs > EMPTY_GRACE_MS;
    } catch {
      return false;
    }
  }
  return liveness(holder) === 'dead';
}

function takeOver(path: string, stale: ProcessId | 'empty'): void {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard)) {
    const guardHolder = readHolder(guard);
    if (guardHolder !== 'gone' && isStale(guard, guardHolder)) unlinkQuietly(guard);
    return;
  }
  try {
    const now = readHolder(path);
    const same = now === 'empty' ? stale === 'empty' : now !== 'gone' && stale !== 'empty' && now.pid === stale.pid && now.start === stale.start;
    if (same) unlinkQuietly(path);
  } finally {
    unlinkQuietly(guard);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * One try, for locks held for a process's lifetime (the daemon's): returns null when this process now holds the
 * lock, or the live holder. A holder that no longer exists is taken over.
 */
export function tryLock(path: string): ProcessId | null {
  for (let tries = 0; tries < 5; tries++) {
    if (tryCreate(path)) return null;
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (isStale(path, holder)) {
      takeOver(path, holder);
      continue;
    }
    if (holder !== 'empty') return holder;
  }
  return readHolder(path) as ProcessId;
}

/** Who holds a lock now, if anyone alive does. */
export function lockHolder(path: string): ProcessId | null {
  const holder = readHolder(path);
  if (holder === 'gone' || holder === 'empty' || isStale(path, holder)) return null;
  return holder;
}
