/** File-system helpers that fail cleanly where Node's own do not. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * `mkdir -p`. Node's `mkdirSync(path, { recursive: true })` spins forever where mkdir answers ENOENT under an
 * existing parent (/proc, some FUSE mounts); this walks up once and reports the error instead.
 */
export function ensureDir(dir: string, mode?: number): void {
  if (isDirectory(dir)) return;
  try {
    mkdirSync(dir, mode);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && isDirectory(dir)) return;
    if (code !== 'ENOENT') throw error;
    const parent = dirname(dir);
    if (parent === dir || isDirectory(parent)) throw error;
  }
  ensureDir(dirname(dir), mode);
  try {
    mkdirSync(dir, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !isDirectory(dir)) throw error;
  }
}
