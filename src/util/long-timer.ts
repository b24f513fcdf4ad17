/**
 * Timers for waits of any length. Node keeps a timer's delay in a signed 32-bit integer: anything above
 * 2^31-1 ms (about 24.8 days) is replaced by 1 ms and fires at once, so `timeout: 30d` would end a task at
 * its start. Every duration that becomes a timer (timeouts, kill grace, retry delays, hook timeouts, the
 * daemon's grace) goes through here, and a long wait is a chain of timers no longer than Node allows.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
  /** Lets the process exit while this timer waits (as Node's `unref`). */
  unref(): LongTimer;
}

/** Calls `callback` once after `ms`; an infinite or NaN delay never fires. */
export function setLongTimeout(callback: () => void, ms: number): LongTimer {
  let remaining = Number.isNaN(ms) ? Infinity : Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  let weak = false;
  let cleared = false;
  const arm = (): void => {
    if (cleared || remaining === Infinity) return;
    const step = Math.min(remaining, MAX_TIMER_MS);
    timer = setTimeout(() => {
      remaining -= step;
      if (remaining > 0) arm();
      else callback();
    }, step);
    if (weak) timer.unref();
  };
  arm();
  const self: LongTimer = {
    clear() {
      cleared = true;
      clearTimeout(timer);
    },
    unref() {
      weak = true;
      timer?.unref();
      return self;
    },
  };
  return self;
}

/** Resolves true after `ms`, or false at once when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      timer.clear();
      resolve(false);
    };
    const timer = setLongTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
