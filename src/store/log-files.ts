/** Reading attempt logs without loading them whole: the last lines of a file, and following a file as it grows. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const TAIL_CHUNK = 64 * 1024;

/** The last `count` lines of a file (reads at most 64 KiB per 64 KiB of lines wanted, from the end). */
export function tailLines(file: string, count: number): string[] {
  if (count <= 0) return [];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    let position = size;
    let text = '';
    while (position > 0) {
      const length = Math.min(TAIL_CHUNK, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      text = buffer.toString('utf8') + text;
      if (text.split('\n').length > count + 1) break;
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}

/** The first non-empty line of a file, read from its first 4 KiB. */
export function firstLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(4096);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').split('\n').find((line) => line.trim() !== '');
  } finally {
    closeSync(fd);
  }
}
