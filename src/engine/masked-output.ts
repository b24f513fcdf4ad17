/**
 * Output that must be masked cannot go straight to the log's file descriptor: when an attempt has secrets, its
 * stdout and stderr are pipes that flow reads, masks (mask.ts) and writes to the log. Without secrets, nothing of
 * this runs and output goes to the file descriptor as before.
 *
 * A pipe can be held open by a grandchild that outlives the task (`sleep 300 &`); the direct file descriptor never
 * made a run wait for it, and neither does this: once the task's leader has exited, output is read until both pipes
 * close or nothing more arrives for a moment (and for a few turns of the event loop, so output already in the pipe
 * is never cut on a busy machine); then the pipes are closed and what was held back is written.
 */
import { writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StreamMasker } from './mask.js';

const QUIET_MS = 200;
const QUIET_TURNS = 3;

export class MaskedOutput {
  private readonly open = new Set<Readable>();
  private lastData = Date.now();
  private turnsWithData = 0;
  private ended: (() => void) | undefined;

  constructor(streams: [Readable | null, number][], secrets: readonly string[]) {
    for (const [stream, fd] of streams) {
      if (stream === null) continue;
      const masker = new StreamMasker(secrets);
      this.open.add(stream);
      stream.on('data', (chunk: Buffer) => {
        this.lastData = Date.now();
        this.turnsWithData += 1;
        write(fd, masker.push(chunk));
      });
      const close = (): void => {
        if (!this.open.delete(stream)) return;
        write(fd, masker.end());
        if (this.open.size === 0) this.ended?.();
      };
      stream.on('end', close);
      stream.on('close', close);
      stream.on('error', close);
    }
  }

  /** Call once the leader has exited: resolves when the output is written and the pipes are closed. */
  async settle(): Promise<void> {
    if (this.open.size === 0) return;
    await new Promise<void>((resolve) => {
      this.ended = resolve;
      const check = (): void => {
        if (this.open.size === 0) return;
        const wait = this.lastData + QUIET_MS - Date.now();
        if (wait > 0) {
          setTimeout(check, wait);
          return;
        }
        // Quiet for a while by the clock; make sure a few turns of the loop also read nothing.
        this.turnsWithData = 0;
        let turns = 0;
        const turn = (): void => {
          if (this.open.size === 0) return;
          if (this.turnsWithData > 0) {
            setTimeout(check, QUIET_MS);
            return;
          }
          if (++turns < QUIET_TURNS) {
            setImmediate(turn);
            return;
          }
          for (const stream of [...this.open]) stream.destroy();
        };
        setImmediate(turn);
      };
      check();
    });
  }
}

function write(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return;
    }
  }
}
