/**
 * Follows one attempt's log from a byte offset for a page: each change to the file (inotify through fs.watch, with a
 * slow stat as a safety net where no events come) reads what was appended and hands it on as rendered HTML with its
 * byte range, so a client that reconnects asks for exactly the next byte and sees nothing twice. `end()` reads the
 * rest once the attempt has ended, including a last unit that was held back.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';
import { plainStyle, renderLog } from './log-html.js';

export interface LogPiece {
  /** The byte offset the piece starts at, and the one to resume from after it. */
  offset: number;
  next: number;
  html: string;
}

const READ_BYTES = 256 * 1024;
const SAFETY_POLL_MS = 2000;

export class LogFollower {
  private position: number;
  private readonly style = plainStyle();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    readonly file: string,
    from: number,
    private readonly send: (piece: LogPiece) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.position = from;
  }

  get offset(): number {
    return this.position;
  }

  start(): void {
    try {
      this.watcher = watch(this.file, { persistent: false }, () => this.changed());
      this.watcher.on('error', () => undefined);
    } catch {
      // No such file yet, or no inotify here: the safety poll alone does it.
    }
    this.timer = setInterval(() => this.changed(), SAFETY_POLL_MS);
    this.timer.unref();
    this.changed();
  }

  /** The attempt ended: reads to the end of the file, rendering any held-back tail, and stops. */
  async end(): Promise<void> {
    this.close();
    await this.reading;
    await this.read(true);
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }

  private close(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private changed(): void {
    if (this.reading !== undefined) {
      this.again = true;
      return;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.read(false);
      } while (this.again && !this.stopped);
    })()
      .catch(this.onError)
      .finally(() => (this.reading = undefined));
  }

  private async read(final: boolean): Promise<void> {
    if (this.stopped) return;
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = (await handle.stat()).size;
      while (this.position < size && !this.stopped) {
        const length = Math.min(READ_BYTES, size - this.position);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.position);
        if (bytesRead === 0) break;
        const last = final && this.position + bytesRead >= size;
        const { html, consumed } = renderLog(buffer.subarray(0, bytesRead), this.style, last);
        if (consumed === 0) break;
        this.send({ offset: this.position, next: this.position + consumed, html });
        this.position += consumed;
      }
    } finally {
      await handle.close();
    }
  }
}
