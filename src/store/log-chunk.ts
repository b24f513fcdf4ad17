/** A piece of a log file from a byte offset, for clients that follow a log a request at a time. */
import { open } from 'node:fs/promises';

/** At most this much per piece. */
export const CHUNK_BYTES = 1024 * 1024;

export interface LogChunk {
  offset: number;
  /** Where the next piece starts (the offset to ask for next). */
  next_offset: number;
  /** The file's size when read. */
  size: number;
  text: string;
}

export async function readLogChunk(file: string, offset: number): Promise<LogChunk> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { offset, next_offset: offset, size: 0, text: '' };
    throw error;
  }
  try {
    const size = (await handle.stat()).size;
    const start = Math.min(offset, size);
    const length = Math.min(CHUNK_BYTES, size - start);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = length === 0 ? { bytesRead: 0 } : await handle.read(buffer, 0, length, start);
    // End on a whole UTF-8 character when the piece is cut short, so a character is never split between pieces.
    const end = start + bytesRead < size ? wholeCharacters(buffer.subarray(0, bytesRead)) : bytesRead;
    return { offset: start, next_offset: start + end, size, text: buffer.subarray(0, end).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** The length of `bytes` without a last character that is cut off. */
function wholeCharacters(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
