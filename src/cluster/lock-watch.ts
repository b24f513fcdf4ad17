/**
 * The worker's own rule for "at most one copy runs": a task may run only while its worker knows it holds the job's
 * lock. BullMQ renews locks every quarter of their duration; when a renewal fails, or none has succeeded for three
 * quarters of the lock (Redis paused, unreachable, the worker's event loop stalled), the worker ends the task's
 * process group at once, before the lock can expire and the scheduler can hand the attempt to another worker.
 */
export class LockWatch {
  private readonly tracked = new Map<string, { confirmedAt: number; lose: (why: string) => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly lockMs: number) {
    this.timer = setInterval(() => this.check(), Math.max(50, Math.floor(lockMs / 8)));
    this.timer.unref();
  }

  track(jobId: string, lose: (why: string) => void): void {
    this.tracked.set(jobId, { confirmedAt: Date.now(), lose });
  }

  untrack(jobId: string): void {
    this.tracked.delete(jobId);
  }

  renewed(jobIds: readonly string[]): void {
    const now = Date.now();
    for (const id of jobIds) {
      const entry = this.tracked.get(id);
      if (entry !== undefined) entry.confirmedAt = now;
    }
  }

  failed(jobIds: readonly string[]): void {
    for (const id of jobIds) this.lose(id, 'Redis refused to renew its lock on the job (another holder, or it expired)');
  }

  close(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const limit = Date.now() - (this.lockMs * 3) / 4;
    for (const [id, entry] of this.tracked) {
      if (entry.confirmedAt < limit) this.lose(id, `its lock on the job was not renewed for ${Math.round((Date.now() - entry.confirmedAt) / 100) / 10}s (the lock lasts ${this.lockMs / 1000}s)`);
    }
  }

  private lose(id: string, why: string): void {
    const entry = this.tracked.get(id);
    if (entry === undefined) return;
    this.tracked.delete(id);
    entry.lose(why);
  }
}
