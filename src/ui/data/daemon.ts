/**
 * The Daemon page's facts, read as `flow status` reads them (whatever serves the UI: the daemon itself, or `flow ui`
 * beside it): who holds daemon.lock, its status snapshot, and the tail of daemon.log.
 */
import { join } from 'node:path';
import { readDaemonStatus, type DaemonStatus } from '../../daemon/status-file.js';
import { lockHolder } from '../../store/lock.js';
import { tailLines } from '../../store/log-files.js';

export interface DaemonFacts {
  /** Null when no daemon holds the lock. */
  pid: number | null;
  host: string | null;
  /** Null while it starts (no snapshot yet) or when none runs. */
  status: DaemonStatus | null;
  log: string[];
  logFile: string;
}

export async function daemonFacts(home: string, lines = 200): Promise<DaemonFacts> {
  const holder = lockHolder(join(home, 'daemon.lock'));
  const status = holder === null ? undefined : await readDaemonStatus(home);
  const logFile = join(home, 'daemon.log');
  return {
    pid: holder?.pid ?? null,
    host: holder?.host ?? null,
    status: status !== undefined && status.pid === holder?.pid ? status : null,
    log: tailLines(logFile, lines, 256 * 1024),
    logFile,
  };
}

/** Files that do not load and have no good version scheduled, as the running daemon last wrote them. */
export async function brokenFromStatus(home: string): Promise<{ file: string; error: string }[]> {
  return (await readDaemonStatus(home))?.broken ?? [];
}
