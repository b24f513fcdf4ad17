/**
 * One timer for the next due instant, no polling. Node's timers fire a millisecond or two late, so the timer is set
 * a little early and the last stretch is waited out exactly. It never sleeps longer than a minute: after each wake
 * the daemon re-reads the wall clock, so a suspend or a stepped clock is noticed within that minute at worst.
 */
const EARLY_MS = 3;
const MAX_SLEEP_MS = 60_000;

export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly onWake: () => void) {}

  /** Wakes at `at` (epoch ms), or in a minute to re-check the clock when nothing is due sooner. */
  arm(at: number | undefined): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const now = Date.now();
    const target = at ?? now + MAX_SLEEP_MS;
    const delay = Math.min(MAX_SLEEP_MS, target - now - EARLY_MS);
    if (delay <= 0) {
      this.timer = setTimeout(() => this.wake(target), 0);
      return;
    }
    this.timer = setTimeout(() => this.wake(target), delay);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private wake(target: number): void {
    // Wait out the last few milliseconds (at most EARLY_MS) so a run starts on its instant, not after it; bounded by
    // the monotonic clock too, so a wall clock set back in that moment cannot hold the loop.
    const end = performance.now() + EARLY_MS;
    if (target - Date.now() <= EARLY_MS) while (Date.now() < target && performance.now() < end) { /* spin */ }
    this.onWake();
  }
}
