/**
 * Instants that went by unrun — the daemon was down, the machine slept, the clock was stepped — and what the
 * pipeline's `catchup` says to do with them: false (as cron) lets them pass and logs them; `latest` runs the newest
 * once; `all` runs each, oldest first, at most `catchup_limit` (the newest ones). Instants that already have a run
 * in history are never run again.
 */
import type { Pipeline } from '../pipeline/types.js';

export interface CatchUpDecision {
  run: Date[];
  /** Missed instants that will not run. */
  pass: Date[];
  /** Already in history: neither run nor reported as missed. */
  alreadyRun: Date[];
}

export function decideCatchUp(pipeline: Pipeline, missed: readonly Date[], inHistory: ReadonlySet<number>): CatchUpDecision {
  const alreadyRun = missed.filter((instant) => inHistory.has(instant.getTime()));
  const open = missed.filter((instant) => !inHistory.has(instant.getTime()));
  if (pipeline.catchup === false || open.length === 0) return { run: [], pass: open, alreadyRun };
  if (pipeline.catchup === 'latest') return { run: open.slice(-1), pass: open.slice(0, -1), alreadyRun };
  const run = open.slice(-pipeline.catchupLimit);
  return { run, pass: open.slice(0, open.length - run.length), alreadyRun };
}

/** `3 instants (2026-03-01T02:00:00Z … 2026-03-03T02:00:00Z)` */
export function describeInstants(instants: readonly Date[]): string {
  if (instants.length === 0) return 'no instants';
  const first = instants[0]?.toISOString() ?? '';
  const last = instants.at(-1)?.toISOString() ?? '';
  return instants.length === 1 ? `1 instant (${first})` : `${instants.length} instants (${first} … ${last})`;
}
