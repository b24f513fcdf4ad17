/**
 * A counting semaphore for task slots. Each run has its own (the pipeline's `concurrency`); the daemon shares one
 * more across all runs (`--max-tasks`). Callbacks, not promises, so a full pool costs nothing while it waits.
 */
/** What the executor needs of a pool of slots; the daemon wraps its shared pool to log waits. */
export interface SlotPool {
  tryAcquire(): boolean;
  release(): void;
  onRelease(wake: () => void): void;
}

export class Slots implements SlotPool {
  private used = 0;
  private readonly waiters = new Set<() => void>();

  /** `Infinity`: no limit (the daemon's default, as cron has none). */
  constructor(readonly size: number) {}

  tryAcquire(): boolean {
    if (this.used >= this.size) return false;
    this.used += 1;
    return true;
  }

  release(): void {
    this.used -= 1;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Calls `wake` once, the next time a slot is released. */
  onRelease(wake: () => void): void {
    this.waiters.add(wake);
  }

  get inUse(): number {
    return this.used;
  }
}
