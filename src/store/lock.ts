/**
 * A lock across processes: a file created with O_EXCL holding the owner's pid, start time and boot id. No file
 * descriptor stays open, so task processes inherit nothing. A lock whose owner no longer exists is taken over at
 * once (no staleness timeout): the taker first holds a short-lived `.takeover` guard, re-reads the lock under it,
 * and removes it only if the same dead owner still holds it, so two takers never both win. A lock that holds no
 * valid owner (garbage, `null`, a number, a directory in its place) is stale by definition: it is moved aside
 * (`.corrupt-<ts>`, kept for a look) with a warning and taken over. Waiting is asynchronous and bounded, so the
 * process still answers signals while it waits.
 */
import { closeSync, lstatSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { FlowError } from '../errors.js';
import { errnoWords } from '../util/errno.js';
import { liveness, selfId, type ProcessId } from '../util/proc.js';
import { check } from './check.js';
import { holderShape } from './shapes.js';

const POLL_MIN_MS = 2;
const POLL_MAX_MS = 50;
/** A lock file still empty after this long belongs to a process that died between creating and writing it. */
const EMPTY_GRACE_MS = 2_000;

export interface LockOptions {
  /** Give up after this long, with E_LOCKED naming the holder. */
  timeoutMs?: number;
  what?: string;
  /** Told when a lock with no valid owner is moved aside. */
  warn?: (message: string) => void;
  /**
   * Stops the wait (SIGINT, SIGTERM): a lock still held by someone else STOP_GRACE_MS after it aborts ends the wait
   * with E_LOCKED at once, instead of at the timeout. The grace lets a stopping run still record how it ended
   * where the lock is only briefly taken by another writer.
   */
  signal?: AbortSignal | undefined;
}

const STOP_GRACE_MS = 2_000;

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
  let stoppedAt: number | undefined;
  let wait = POLL_MIN_MS;
  for (let tries = 0; ; tries++) {
    if (tryCreate(path)) return;
    const holder = readHolder(path);
    if (holder === 'gone' && tries < 10) continue;
    if (holder !== 'gone' && isStale(path, holder)) {
      takeOver(path, holder, options.warn);
      if (tries < 10) continue;
    }
    if (options.signal?.aborted === true) stoppedAt ??= Date.now();
    if (stoppedAt !== undefined && Date.now() > stoppedAt + STOP_GRACE_MS) {
      throw new FlowError('E_LOCKED', `stopped while waiting for ${options.what ?? path}, locked by ${describe(holder)}`, {
        hint: `if no flow process is running, remove ${path}`,
      });
    }
    if (Date.now() > deadline) {
      throw new FlowError('E_LOCKED', `${options.what ?? path} is locked by ${describe(holder)}`, {
        hint: `if no flow process is running, remove ${path}`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(POLL_MAX_MS, wait * 2);
  }
}

export function release(path: string): void {
  const holder = readHolder(path);
  if (typeof holder === 'object' && !('invalid' in holder) && holder.pid === process.pid) {
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
  } catch (error) {
    // A full disk: leave no empty lock behind for others to wait on.
    closeSync(fd);
    unlinkQuietly(path);
    (error as NodeJS.ErrnoException).path ??= path;
    throw error;
  }
  closeSync(fd);
  return true;
}

/** `empty`: being written, or its writer died; `invalid`: anything else that names no owner (`why` says what). */
type Holder = ProcessId | 'empty' | 'gone' | { invalid: string; text: string | null };

function readHolder(path: string): Holder {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'gone';
    return { invalid: code === 'EISDIR' ? 'is a directory' : `cannot be read (${errnoWords(error)})`, text: null };
  }
  if (text === '') return 'empty';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { invalid: 'does not name its owner', text };
  }
  const checked = check(holderShape, data);
  return checked.success ? checked.data : { invalid: 'does not name its owner', text };
}

function describe(holder: Holder): string {
  if (holder === 'empty' || holder === 'gone' || 'invalid' in holder) return 'another process';
  return `pid ${holder.pid} on ${holder.host}`;
}

function isStale(path: string, holder: Exclude<Holder, 'gone'>): boolean {
  if (typeof holder === 'object' && 'invalid' in holder) return true;
  if (holder === 'empty') {
    try {
      return Date.now() - statSync(path).mtimeMs > EMPTY_GRACE_MS;
    } catch {
      return false;
    }
  }
  return liveness(holder) === 'dead';
}

function takeOver(path: string, stale: Exclude<Holder, 'gone'>, warn?: (message: string) => void): void {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard)) {
    const guardHolder = readHolder(guard);
    if (guardHolder !== 'gone' && isStale(guard, guardHolder)) removeStale(guard, guardHolder, warn);
    return;
  }
  try {
    const now = readHolder(path);
    if (sameHolder(now, stale)) removeStale(path, stale, warn);
  } finally {
    unlinkQuietly(guard);
  }
}

function sameHolder(a: Holder, b: Holder): boolean {
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if ('invalid' in a || 'invalid' in b) return 'invalid' in a && 'invalid' in b && a.text === b.text;
  return a.pid === b.pid && a.start === b.start;
}

/** A dead owner's lock is removed; one that names no owner is kept aside for a look, with a warning. */
function removeStale(path: string, holder: Exclude<Holder, 'gone'>, warn?: (message: string) => void): void {
  if (typeof holder !== 'object' || !('invalid' in holder)) {
    unlinkQuietly(path);
    return;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; n < 1000; n++) {
    const target = `${path}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (existsNoFollow(target)) continue;
    try {
      renameSync(path, target);
    } catch {
      return; // moved by another taker, or cannot be moved: the wait goes on and ends in E_LOCKED
    }
    warn?.(`lock ${path} ${holder.invalid}; kept it as ${target} and took the lock over`);
    return;
  }
}

function existsNoFollow(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
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
export function tryLock(path: string, warn?: (message: string) => void): ProcessId | 'unknown' | null {
  for (let tries = 0; tries < 5; tries++) {
    if (tryCreate(path)) return null;
    const holder = readHolder(path);
    if (holder === 'gone') continue;
    if (isStale(path, holder)) {
      takeOver(path, holder, warn);
      continue;
    }
    if (holder !== 'empty' && !('invalid' in holder)) return holder;
  }
  const holder = readHolder(path);
  return typeof holder === 'object' && !('invalid' in holder) ? holder : 'unknown';
}

/** Who holds a lock now, if anyone alive does. */
export function lockHolder(path: string): ProcessId | null {
  const holder = readHolder(path);
  if (holder === 'gone' || holder === 'empty' || 'invalid' in holder || isStale(path, holder)) return null;
  return holder;
}
