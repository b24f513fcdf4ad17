/**
 * Following log files as they grow, by polling (portable, and cheap at a few files): new complete lines are handed
 * on as they appear, and a last partial line when the file is closed.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export class FileFollower {
  private fd: number | undefined;
  private position = 0;
  private partial = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    readonly file: string,
    private readonly onLines: (lines: string[]) => void,
    from: 'start' | 'end' = 'start',
  ) {
    this.open();
    if (from === 'end' && this.fd !== undefined) this.position = fstatSync(this.fd).size;
  }

  /** Reads what was appended since the last poll. */
  poll(): void {
    if (this.fd === undefined && !this.open()) return;
    const fd = this.fd as number;
    const size = fstatSync(fd).size;
    if (size < this.position) this.position = 0;
    const buffer = Buffer.alloc(64 * 1024);
    while (this.position < size) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - this.position), this.position);
      if (read <= 0) break;
      this.position += read;
      this.partial += this.decoder.write(buffer.subarray(0, read));
    }
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    if (lines.length > 0) this.onLines(lines);
  }

  /** Reads the rest, hands on a final line without a newline, and closes the file. */
  close(): void {
    this.poll();
    this.partial += this.decoder.end();
    if (this.partial !== '') this.onLines([this.partial]);
    this.partial = '';
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): boolean {
    try {
      this.fd = openSync(this.file, 'r');
      return true;
    } catch {
      return false;
    }
  }
}

/** Hands on the bytes appended to a file since the last poll, as they are. */
export class RawFollower {
  private position = 0;

  constructor(
    readonly file: string,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {}

  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      const buffer = Buffer.alloc(64 * 1024);
      while (this.position < size) {
        const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - this.position), this.position);
        if (read <= 0) break;
        this.position += read;
        this.onChunk(Buffer.from(buffer.subarray(0, read)));
      }
    } finally {
      closeSync(fd);
    }
  }

  close(): void {
    this.poll();
  }
}
