/**
 * A worker's attempt writes its output to a local file through the same wrapper as a local attempt (straight to
 * the file's descriptor, or masked); this pump sends what the file gains to the attempt's stream in chunks, so the
 * scheduler writes the same bytes into the attempt's log. It reads on a short interval while the task runs and
 * once more at its end, so short tasks cost one read.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 64 * 1024;

export class OutputPump {
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private failed: Error | undefined;

  constructor(
    private readonly file: string,
    private readonly send: (chunk: Buffer) => Promise<unknown>,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => this.pump(), intervalMs);
    this.timer.unref();
  }

  /** Sends the rest and stops; rejects if a chunk could not be sent. */
  async finish(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.pump();
    await this.sending;
    if (this.failed !== undefined) throw this.failed;
  }

  private pump(): void {
    // One pass at a time: a slow Redis must not make chunks overtake each other.
    this.sending = this.sending.then(async () => {
      for (const chunk of this.readNew()) await this.send(chunk);
    }).catch((error: unknown) => {
      this.failed ??= error instanceof Error ? error : new Error(String(error));
    });
  }

  private *readNew(): Generator<Buffer> {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const buffer = Buffer.allocUnsafe(CHUNK);
        const read = readSync(fd, buffer, 0, CHUNK, this.offset);
        if (read === 0) return;
        this.offset += read;
        yield buffer.subarray(0, read);
      }
    } finally {
      closeSync(fd);
    }
  }
}
