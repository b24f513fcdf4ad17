/**
 * Index writes gathered: every run a process starts or ends tells the index, and each change of history.json is a
 * lock round trip, a read, a write and two fsyncs. A daemon that fires thousands of runs in one wake would pay that
 * once per run, one after another; here the summaries that arrive while one change is under way all go into the
 * next, so a wake's runs are indexed in one or two changes, and a lone `flow run` is indexed at once as before.
 * Each caller's promise settles with the change that wrote its summary.
 */
import type { RunSummary } from './summary.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
}

/** Writes these summaries into the index in one change; `signal` stops its wait for the lock. */
export type WriteSummaries = (summaries: RunSummary[], signal: AbortSignal | undefined) => Promise<void>;

export class IndexBatch {
  /** By run id: a run that starts and ends before its turn is written once, as it ended. */
  private queued = new Map<string, RunSummary>();
  private waiters: Waiter[] = [];
  private writing = false;

  constructor(private readonly write: WriteSummaries) {}

  add(summary: RunSummary, signal?: AbortSignal): Promise<void> {
    this.queued.delete(summary.id);
    this.queued.set(summary.id, summary);
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject, signal });
      this.next();
    });
  }

  private next(): void {
    if (this.writing || this.queued.size === 0) return;
    const summaries = [...this.queued.values()];
    const waiters = this.waiters;
    this.queued = new Map();
    this.waiters = [];
    this.writing = true;
    this.write(summaries, stopSignal(waiters))
      .then(
        () => {
          for (const waiter of waiters) waiter.resolve();
        },
        (error: unknown) => {
          for (const waiter of waiters) waiter.reject(error);
        },
      )
      .finally(() => {
        this.writing = false;
        this.next();
      });
  }
}

/**
 * The wait for the lock is given up only when every run in the change is being stopped: one run's stop must not fail
 * the others' records. A change with one run (a `flow run`) stops with it, as it always did.
 */
function stopSignal(waiters: Waiter[]): AbortSignal | undefined {
  const signals = waiters.map((waiter) => waiter.signal);
  if (signals.some((signal) => signal === undefined)) return undefined;
  if (signals.length === 1) return signals[0];
  const all = new AbortController();
  const check = (): void => {
    if (signals.every((signal) => signal?.aborted === true)) all.abort();
  };
  for (const signal of signals) signal?.addEventListener('abort', check, { once: true });
  check();
  return all.signal;
}
