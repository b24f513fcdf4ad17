/**
 * Files under FLOW_HOME are the owner's alone and are never written through a link. Every directory flow makes
 * there is 0700 and every file it writes 0600, whatever the umask: modes are given explicitly when creating, and
 * what already exists with looser modes is tightened (fchmod on the open descriptor, so no race with a rename).
 * Files are opened with O_NOFOLLOW and directories are checked with lstat one component at a time below a trusted
 * root, so a planted symbolic link is refused, never followed. FLOW_HOME itself must be the user's own and writable
 * by nobody else, as ssh requires of ~/.ssh.
 */
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, chmodSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { FlowError } from '../errors.js';
import { ensureDir } from './fs.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW } = constants;
const FLAGS = {
  /** Append, creating it if needed (logs). */
  a: O_WRONLY | O_CREAT | O_APPEND,
  /** Truncate, creating it if needed (hook output). */
  w: O_WRONLY | O_CREAT | O_TRUNC,
  /** A new file only (temporary files, locks). */
  wx: O_WRONLY | O_CREAT | O_EXCL,
} as const;
export type PrivateFlags = keyof typeof FLAGS;

function uid(): number | undefined {
  return process.geteuid?.();
}

export function linkRefused(path: string): FlowError {
  return new FlowError('E_UNSAFE', `${path} is a symbolic link; flow never writes through links`, {
    hint: `remove it (rm ${path}) and try again`,
  });
}

function notPlain(path: string, what: string): FlowError {
  return new FlowError('E_UNSAFE', `${path} is ${what}, not a regular file; flow writes only regular files there`, {
    hint: `move it out of the way and try again`,
  });
}

function afterOpen(fd: number, path: string): void {
  const info = fstatSync(fd);
  if (!info.isFile()) {
    closeSync(fd);
    throw notPlain(path, 'a special file');
  }
  // A file left looser by an older flow or a loose umask: tighten it, unless it is someone else's (then fchmod fails).
  if ((info.mode & 0o077) !== 0 && info.uid === uid()) fchmodSync(fd, PRIVATE_FILE_MODE);
}

function openError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  // O_NOFOLLOW on a link answers ELOOP (Linux); O_EXCL on a link answers EEXIST, which callers handle themselves.
  if (code === 'ELOOP') return linkRefused(path);
  if (code === 'EISDIR') return notPlain(path, 'a directory');
  return error;
}

/** Opens a file for writing: 0600 when created, tightened when looser, never through a symbolic link. */
export function openPrivateSync(path: string, flags: PrivateFlags): number {
  let fd: number;
  try {
    fd = openSync(path, FLAGS[flags] | O_NOFOLLOW, PRIVATE_FILE_MODE);
  } catch (error) {
    throw openError(error, path);
  }
  afterOpen(fd, path);
  return fd;
}

export async function openPrivate(path: string, flags: PrivateFlags): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, FLAGS[flags] | O_NOFOLLOW, PRIVATE_FILE_MODE);
  } catch (error) {
    throw openError(error, path);
  }
  try {
    afterOpen(handle.fd, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  return handle;
}

/**
 * `mkdir -p` of `dir` below `root` (which must exist and is trusted): each component below the root is created
 * 0700 or, if it exists, must be a real directory (lstat: a link is refused) and is tightened to 0700.
 */
export function ensurePrivateDir(root: string, dir: string): string {
  const rest = relative(root, dir);
  if (rest === '') return dir;
  if (rest.startsWith('..') || isAbsolute(rest)) throw new FlowError('E_UNSAFE', `${dir} is outside ${root}`);
  let current = root;
  for (const part of rest.split(sep)) {
    current = join(current, part);
    privateComponent(current);
  }
  return dir;
}

function privateComponent(path: string): void {
  let info;
  try {
    info = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    try {
      mkdirSync(path, PRIVATE_DIR_MODE);
      // mkdir's mode is masked by the umask, which may take bits away but never add them: 0700 or less.
      chmodSync(path, PRIVATE_DIR_MODE);
      return;
    } catch (mkdirError) {
      if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw mkdirError;
      info = lstatSync(path);
    }
  }
  if (info.isSymbolicLink()) throw linkRefused(path);
  if (!info.isDirectory()) {
    throw new FlowError('E_UNSAFE', `${path} is not a directory`, { hint: 'move it out of the way and try again' });
  }
  tighten(path, info.mode, info.uid);
}

function tighten(path: string, mode: number, owner: number): void {
  if ((mode & 0o077) === 0 || owner !== uid()) return;
  try {
    chmodSync(path, PRIVATE_DIR_MODE);
  } catch {
    // A read-only file system: nothing can be planted there either.
  }
}

/**
 * Makes FLOW_HOME if it is missing (0700, its missing parents too) and refuses one that another user owns or can
 * write to, as ssh refuses loose keys; one that others can only read is tightened to 0700.
 */
export function ensurePrivateHome(home: string): void {
  ensureDir(home, PRIVATE_DIR_MODE);
  const info = statSync(home);
  const me = uid();
  if (me !== undefined && info.uid !== me) {
    throw new FlowError('E_UNSAFE', `FLOW_HOME ${home} is owned by uid ${info.uid}, not by you (uid ${me}); flow keeps its records only in a directory of your own`, {
      hint: `set FLOW_HOME to a directory of yours, or run: chown ${me} ${home}`,
    });
  }
  if ((info.mode & 0o022) !== 0) {
    throw new FlowError('E_UNSAFE', `FLOW_HOME ${home} is writable by ${(info.mode & 0o002) !== 0 ? 'every user' : 'its group'}; anyone could plant or change records there`, {
      hint: `run: chmod 700 ${home}`,
    });
  }
  tighten(home, info.mode, info.uid);
}

/**
 * The pipelines directory of a daemon running as root: its files become commands run as root (or as their `user:`),
 * so it must be root's and writable by nobody else.
 */
export function checkRootPipelinesDir(dir: string): void {
  if (uid() !== 0) return;
  let info;
  try {
    info = statSync(dir);
  } catch {
    return;
  }
  if (info.uid !== 0) {
    throw new FlowError('E_UNSAFE', `the pipelines directory ${dir} is owned by uid ${info.uid}; a daemon running as root runs only pipelines from root's own directory`, {
      hint: `run: chown root ${dir}`,
    });
  }
  if ((info.mode & 0o022) !== 0) {
    throw new FlowError('E_UNSAFE', `the pipelines directory ${dir} is writable by ${(info.mode & 0o002) !== 0 ? 'every user' : 'its group'}; anyone could add pipelines that root would run`, {
      hint: `run: chmod go-w ${dir}`,
    });
  }
}
