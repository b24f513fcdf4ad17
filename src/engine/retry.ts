/** Delay before the next attempt: fixed, or doubling each attempt with ±10% jitter, capped by max_retry_delay. */
import type { Task } from '../pipeline/types.js';

export function retryDelayMs(task: Pick<Task, 'retryDelayMs' | 'retryBackoff' | 'maxRetryDelayMs'>, failedAttempt: number, random = Math.random): number {
  if (task.retryBackoff === 'fixed') return task.retryDelayMs;
  const doubled = task.retryDelayMs * 2 ** (failedAttempt - 1);
  const jittered = doubled * (0.9 + 0.2 * random());
  return Math.round(Math.min(jittered, task.maxRetryDelayMs));
}

/** Resolves after `ms`, or false at once when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
