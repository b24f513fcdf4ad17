/**
 * daemon-status.json: what the running daemon has loaded and is doing, for `flow status` and `flow list` — written
 * when something changes, at most once a second, never on the firing path.
 */
import { writeDurably } from '../store/durable-file.js';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { check } from '../store/check.js';
import { daemonStatusShape } from '../store/shapes.js';

export interface DaemonStatus {
  pid: number;
  host: string;
  started_at: string;
  pipelines_dir: string;
  stopping: boolean;
  pipelines: {
    name: string;
    file: string;
    schedule: string | null;
    timezone: string;
    next: string | null;
    /** The file's current problem while its last good version stays scheduled. */
    error: string | null;
    active_runs: number;
  }[];
  /** Files that do not validate and have no good version scheduled. */
  broken: { file: string; error: string }[];
  runs_in_flight: { pipeline: string; run_id: string | null; logical_date: string; started_at: string }[];
  /** In a cluster: this scheduler's role and the host holding the lease. */
  cluster?: { role: 'active' | 'standby'; lease_holder: string | null } | undefined;
}

export function statusFile(home: string): string {
  return join(home, 'daemon-status.json');
}

export async function readDaemonStatus(home: string): Promise<DaemonStatus | undefined> {
  // A snapshot the daemon rewrites every second: one that is missing, unparsable or of the wrong shape is no status.
  try {
    const checked = check(daemonStatusShape, JSON.parse(await readFile(statusFile(home), 'utf8')));
    return checked.success ? (checked.data) : undefined;
  } catch {
    return undefined;
  }
}

export class StatusWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly home: string,
    private readonly snapshot: () => DaemonStatus,
  ) {}

  /** Soon: at most once a second. */
  changed(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeNow();
    }, 1000);
    this.timer.unref();
  }

  async writeNow(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    this.writing = writeDurably(statusFile(this.home), JSON.stringify(this.snapshot(), null, 2)).catch(() => undefined);
    await this.writing;
  }
}
