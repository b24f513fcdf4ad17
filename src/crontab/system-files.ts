/**
 * The system crontabs cronie reads (src/database.c): /etc/crontab, then every file of /etc/cron.d except those it
 * skips by name (not_a_crontab): names starting with `.` or `#`, ending with `~`, `.rpmsave`, `.rpmorig` or
 * `.rpmnew`. It also ignores a file that is not a regular file, is writable by group or others, executable, or
 * set-id (check_open: `(mode & 07533) != 0400`), or not owned by root; flow reports such files and imports
 * nothing from them, as none of their jobs ever ran.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FlowError } from '../errors.js';
import type { CrontabProblem, CrontabSource } from './types.js';

export interface SystemLocations {
  crontab: string;
  dir: string;
}

export const SYSTEM_LOCATIONS: SystemLocations = { crontab: '/etc/crontab', dir: '/etc/cron.d' };

export interface SystemCrontabs {
  sources: CrontabSource[];
  /** Files cron does not read. */
  skipped: CrontabProblem[];
}

/** `checkOwner`: require root as the owner, as cron does (off where root cannot own the files, as in tests). */
export async function readSystemCrontabs(locations: SystemLocations, options: { checkOwner: boolean }): Promise<SystemCrontabs> {
  const result: SystemCrontabs = { sources: [], skipped: [] };
  const files = [locations.crontab, ...(await crontabsIn(locations.dir))];
  for (const file of files) {
    let info;
    try {
      info = await stat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw unreadable(file, error);
    }
    const why = !info.isFile()
      ? 'it is not a regular file'
      : (info.mode & 0o7533) !== 0o400
        ? `its mode is ${(info.mode & 0o7777).toString(8).padStart(4, '0')}; cron wants it readable by its owner, writable by no one else, not executable and without set-id bits (as 0644 or 0600)`
        : options.checkOwner && info.uid !== 0
          ? 'it is not owned by root'
          : undefined;
    if (why !== undefined) {
      result.skipped.push({ file, line: null, message: `cron does not read this file: ${why}` });
      continue;
    }
    result.sources.push({ name: file, kind: 'system', text: await readText(file) });
  }
  return result;
}

async function crontabsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter(isCrontabName).sort().map((name) => join(dir, name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw unreadable(dir, error);
  }
}

export function isCrontabName(name: string): boolean {
  return !/^[.#]|~$|\.rpmsave$|\.rpmorig$|\.rpmnew$/.test(name) && name !== '' && name.length < 255;
}

/** A crontab given by path, read as text. */
export async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
}

function unreadable(file: string, error: unknown): FlowError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied (system crontabs are readable by root only on some systems)' : (error as Error).message;
  return new FlowError('E_NOT_FOUND', `cannot read ${file}: ${why}`, { cause: error });
}
