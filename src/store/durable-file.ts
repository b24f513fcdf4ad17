/**
 * A lowdb adapter that never leaves a half-written file: write a temporary file, fsync it, rename it over, fsync
 * the directory (lowdb 7's own adapter renames but never fsyncs). A file that does not parse is never overwritten:
 * reading it throws CorruptFileError, and `moveAside` keeps it as `<file>.corrupt-<timestamp>`.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { openPrivate } from '../util/private-fs.js';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';

export class CorruptFileError extends Error {
  constructor(readonly file: string, cause: unknown) {
    super(`${file} is not valid JSON`, { cause });
    this.name = 'CorruptFileError';
  }
}

export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new CorruptFileError(this.file, error);
    }
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

/** Renames an unparsable file out of the way; returns its new path. */
export async function moveAside(file: string, now: Date = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const target = `${file}.corrupt-${stamp}`;
  await rename(file, target);
  return target;
}
