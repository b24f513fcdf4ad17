/**
 * What the daemon must remember across restarts: per pipeline, the last scheduled instant it handled (fired,
 * skipped or let pass), so that after downtime it knows what was missed and never runs an instant twice; and the
 * boot it last started in, so `@reboot` pipelines run once per boot, as cronie's do.
 */
import { Low } from 'lowdb';
import { join } from 'node:path';
import { CorruptFileError, DurableJsonFile, setAside } from '../store/durable-file.js';
import { daemonStateShape } from '../store/shapes.js';

export interface DaemonStateData {
  version: 1;
  boot_id: string | null;
  pipelines: Record<string, { last_instant: string }>;
}

/** What the scheduler reads and moves: this file, or Redis in a cluster (src/daemon/cluster/state.ts). */
export interface InstantState {
  lastInstant(pipeline: string): Date | undefined;
  setLastInstant(pipeline: string, instant: Date): void;
  resetFuture(now: Date): { pipeline: string; instant: Date }[];
  bootId: string | null;
  flush(): Promise<void>;
}

export class DaemonState implements InstantState {
  private readonly db: Low<DaemonStateData>;
  private writing: Promise<void> | undefined;
  private dirty = false;

  private constructor(file: string, private readonly warn: (message: string) => void) {
    this.db = new Low<DaemonStateData>(new DurableJsonFile(file, daemonStateShape), { version: 1, boot_id: null, pipelines: {} });
  }

  static async open(home: string, warn: (message: string) => void): Promise<DaemonState> {
    const file = join(home, 'daemon-state.json');
    const state = new DaemonState(file, warn);
    try {
      await state.db.read();
    } catch (error) {
      if (!(error instanceof CorruptFileError)) throw error;
      await setAside(error, 'daemon state', ' and started afresh (missed instants before now are not caught up)', warn);
    }
    return state;
  }

  lastInstant(pipeline: string): Date | undefined {
    const text = this.db.data.pipelines[pipeline]?.last_instant;
    return text === undefined ? undefined : new Date(text);
  }

  setLastInstant(pipeline: string, instant: Date): void {
    const current = this.lastInstant(pipeline);
    if (current !== undefined && current.getTime() >= instant.getTime()) return;
    this.db.data.pipelines[pipeline] = { last_instant: instant.toISOString() };
    this.save();
  }

  /** Sets every remembered instant later than `now` back to `now`; returns what was there. */
  resetFuture(now: Date): { pipeline: string; instant: Date }[] {
    const reset: { pipeline: string; instant: Date }[] = [];
    for (const pipeline of Object.keys(this.db.data.pipelines)) {
      const instant = this.lastInstant(pipeline);
      if (instant === undefined || !(instant.getTime() > now.getTime())) continue;
      reset.push({ pipeline, instant });
      this.db.data.pipelines[pipeline] = { last_instant: now.toISOString() };
    }
    if (reset.length > 0) this.save();
    return reset;
  }

  get bootId(): string | null {
    return this.db.data.boot_id;
  }

  set bootId(id: string | null) {
    this.db.data.boot_id = id;
    this.save();
  }

  /** Resolves when everything set so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing !== undefined || this.dirty) {
      if (this.writing === undefined) this.save();
      await this.writing;
    }
  }

  /** Coalesced: one write in flight; whatever changed meanwhile goes in the next. Never on the firing path. */
  private save(): void {
    this.dirty = true;
    if (this.writing !== undefined) return;
    this.writing = (async () => {
      while (this.dirty) {
        this.dirty = false;
        await this.db.write();
      }
    })()
      .catch((error: unknown) => this.warn(`cannot write the daemon state: ${(error as Error).message}`))
      .finally(() => {
        this.writing = undefined;
      });
  }
}
