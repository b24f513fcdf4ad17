/**
 * Reads a text file that a person wrote (a pipeline, the config), refusing before reading what no such file needs:
 * more than `maxBytes`, or something that is not a regular file (a FIFO would block the reader for good, a device
 * never ends). Opened non-blocking for that reason; errors are Node's, for the caller to word.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export type BoundedRead = { text: string } | { tooLarge: number } | { notAFile: true };

export async function readBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
    if (!stats.isFile()) return { notAFile: true };
    if (stats.size > maxBytes) return { tooLarge: stats.size };
    // Sized by the file, not by the limit: the daemon reads hundreds of files at once, and a buffer of the limit
    // for each was a megabyte apiece. One byte more than stat says tells that the file grew while it was read; then
    // the buffer grows, up to one byte past the limit.
    let buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    // The file grew while it was read.
    if (length > maxBytes) return { tooLarge: length };
    return { text: buffer.toString('utf8', 0, length) };
  } finally {
    await handle.close();
  }
}
