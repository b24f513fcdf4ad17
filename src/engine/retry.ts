/** Delay before the next attempt: fixed, or doubling each attempt with ±10% jitter, capped by max_retry_delay. */
import type { Task } from '../pipeline/types.js';

export function retryDelayMs(task: Pick<Task, 'retryDelayMs' | 'retryBackoff' | 'maxRetryDelayMs'>, failedAttempt: number, random = Math.random): number {
  if (task.retryBackoff === 'fixed') return task.retryDelayMs;
  const doubled = task.retryDelayMs * 2 ** (failedAttempt - 1);
  const jittered = doubled * (0.9 + 0.2 * random());
  return Math.round(Math.min(jittered, task.maxRetryDelayMs));
}

/** The wait before a retry: any length (a retry_delay of 30d waits 30 days). */
export { sleep } from '../util/long-timer.js';
