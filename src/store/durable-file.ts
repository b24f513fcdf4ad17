/**
 * A lowdb adapter that never leaves a half-written file: write a temporary file, fsync it, rename it over, fsync
 * the directory (lowdb 7's own adapter renames but never fsyncs). A file that does not parse, has the wrong shape
 * (checked with the shape given) or is not a file at all is never overwritten: reading it throws
 * CorruptFileError, and `moveAside` keeps it as `<file>.corrupt-<timestamp>`.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, rename, unlink } from 'node:fs/promises';
import { openPrivate } from '../util/private-fs.js';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { errnoWords } from '../util/errno.js';
import { check, type Shape } from './check.js';

export class CorruptFileError extends Error {
  /** @param reason what is wrong, to follow the file's name: `did not parse`, `has the wrong shape: runs.0: …` */
  constructor(readonly file: string, readonly reason: string, cause?: unknown) {
    super(`${file} ${reason}`, { cause });
    this.name = 'CorruptFileError';
  }
}

export class DurableJsonFile<T> implements Adapter<T> {
  /** @param shape the shape the parsed file must match (its declared type is T's, checked at run time) */
  constructor(readonly file: string, private readonly shape?: Shape) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'EISDIR') throw new CorruptFileError(this.file, 'is a directory, not a file', error);
      throw error;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new CorruptFileError(this.file, 'did not parse', error);
    }
    if (this.shape === undefined) return data as T;
    const checked = check(this.shape, data);
    if (!checked.success) throw new CorruptFileError(this.file, `has the wrong shape (${checked.problem})`);
    return checked.data as T;
  }

  async write(data: T): Promise<void> {
    await writeDurably(this.file, JSON.stringify(data));
  }
}

export async function writeDurably(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await openPrivate(temp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  await syncDirectory(dirname(file));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic there.
  } finally {
    await handle.close();
  }
}

/**
 * Renames a corrupt file (or directory) out of the way, to a name no other file has: two set aside in the same
 * second get `.corrupt-<ts>` and `.corrupt-<ts>-2`, never one over the other. Returns its new path.
 */
export async function moveAside(file: string, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  for (let n = 1; ; n++) {
    const target = `${file}.corrupt-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (await exists(target)) continue;
    await rename(file, target);
    return target;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Moves a corrupt file aside and says so in one warning. Where it cannot be moved (a read-only FLOW_HOME), it is
 * left in place and the warning says that instead; the caller goes on without its content either way.
 */
export async function setAside(error: CorruptFileError, what: string, then: string, warn: (message: string) => void): Promise<void> {
  try {
    const aside = await moveAside(error.file);
    warn(`${what} ${error.file} ${error.reason}; kept it as ${aside}${then}`);
  } catch (moveError) {
    const code = (moveError as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // another process moved it aside first
    warn(`${what} ${error.file} ${error.reason}; left it in place (${errnoWords(moveError)})${then}`);
  }
}
