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
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
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
