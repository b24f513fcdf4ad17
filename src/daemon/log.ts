/**
 * daemon.log under FLOW_HOME: one line per decision — fired, skipped and why, missed, caught up, reloaded, file
 * error, stopped — each with its time. The same lines go to the daemon's stdout (the journal, under systemd).
 * Appends are synchronous and small: the log is the record of what the scheduler decided, even if it then dies.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoWithOffset } from '../util/time.js';

export class DaemonLog {
  readonly file: string;

  constructor(
    home: string,
    private readonly echo: (line: string) => void,
  ) {
    this.file = join(home, 'daemon.log');
  }

  write(message: string, at: Date = new Date()): void {
    const line = `${isoWithOffset(at)} ${message}`;
    try {
      appendFileSync(this.file, `${line}\n`);
    } catch (error) {
      this.echo(`${isoWithOffset(new Date())} cannot write ${this.file}: ${(error as Error).message}`);
    }
    this.echo(line);
  }
}
