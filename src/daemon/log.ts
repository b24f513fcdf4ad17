/**
 * daemon.log under FLOW_HOME: one line per decision — fired, skipped and why, missed, caught up, reloaded, file
 * error, stopped — each with its time. The same lines go to the daemon's stdout (the journal, under systemd).
 * Appends are synchronous and small: the log is the record of what the scheduler decided, even if it then dies.
 * The file is the owner's alone (0600) and is never written through a symbolic link.
 */
import { closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openPrivateSync } from '../util/private-fs.js';
import { isoWithOffset } from '../util/time.js';

export class DaemonLog {
  readonly file: string;

  constructor(
    home: string,
    private readonly echo: (line: string) => void,
  ) {
    this.file = join(home, 'daemon.log');
  }

  /** A log that cannot be written safely (a planted link, a directory) stops the daemon before it starts. */
  static open(home: string, echo: (line: string) => void): DaemonLog {
    const log = new DaemonLog(home, echo);
    closeSync(openPrivateSync(log.file, 'a'));
    return log;
  }

  write(message: string, at: Date = new Date()): void {
    const line = `${isoWithOffset(at)} ${message}`;
    try {
      const fd = openPrivateSync(this.file, 'a');
      try {
        writeSync(fd, `${line}\n`);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      this.echo(`${isoWithOffset(new Date())} cannot write ${this.file}: ${(error as Error).message}`);
    }
    this.echo(line);
  }
}
