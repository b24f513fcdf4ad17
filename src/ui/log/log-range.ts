/**
 * A window of an attempt's log by byte offsets, read with one positioned read: the tail a log page opens on (the
 * last 256 KiB, so a 1 GiB log opens at once) and the earlier pieces "load earlier" asks for. A window that starts
 * inside the file starts on a line (or at least a character) boundary.
 */
import { open } from 'node:fs/promises';

export const WINDOW_BYTES = 256 * 1024;
/** How far into a window to look for the end of the line it cuts, before settling for a character boundary. */
const LINE_LOOK = 4096;

export interface LogWindow {
  start: number;
  end: number;
  /** The file's size when read (0 for a file that does not exist yet). */
  size: number;
  bytes: Buffer;
}

/** The window of at most WINDOW_BYTES that ends at `end` (default: the end of the file). */
export async function readLogWindow(file: string, end?: number): Promise<LogWindow> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { start: 0, end: 0, size: 0, bytes: Buffer.alloc(0) };
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    const last = Math.min(end ?? size, size);
    const from = Math.max(0, last - WINDOW_BYTES);
    const buffer = Buffer.alloc(last - from);
    const { bytesRead } = buffer.length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, buffer.length, from);
    const bytes = buffer.subarray(0, bytesRead);
    const skip = from === 0 ? 0 : boundary(bytes);
    return { start: from + skip, end: from + bytesRead, size, bytes: bytes.subarray(skip) };
  } finally {
    await handle.close();
  }
}

/** Where to begin in `bytes`: after its first newline when that is close, else on the first character's first byte. */
function boundary(bytes: Buffer): number {
  const newline = bytes.indexOf(10);
  if (newline !== -1 && newline < LINE_LOOK) return newline + 1;
  let index = 0;
  while (index < bytes.length && ((bytes[index] as number) & 0xc0) === 0x80) index++;
  return index;
}
