/** Reading attempt logs without loading them whole: the last lines of a file, and following a file as it grows. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const TAIL_CHUNK = 64 * 1024;
/** A tail never reads more than this from the end of a file, however long its lines (or its one line) are. */
const TAIL_MAX_BYTES = 1024 * 1024;

/**
 * The last `count` lines of a file, reading backwards from its end in chunks, and at most `maxBytes` of it: a log
 * of a gigabyte without a newline gives its last megabyte, not the whole file in memory.
 */
export function tailLines(file: string, count: number, maxBytes: number = TAIL_MAX_BYTES): string[] {
  if (count <= 0) return [];
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const floor = Math.max(0, size - maxBytes);
    let position = size;
    const chunks: Buffer[] = [];
    let newlines = 0;
    while (position > floor && newlines <= count) {
      const length = Math.min(TAIL_CHUNK, position - floor);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      chunks.unshift(buffer);
      for (const byte of buffer) if (byte === 10) newlines += 1;
    }
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
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
