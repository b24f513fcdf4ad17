/**
 * Instants that went by unrun — the daemon was down, the machine slept, the clock was stepped — and what the
 * pipeline's `catchup` says to do with them: false (as cron) lets them pass and logs them; `latest` runs the newest
 * once; `all` runs each, oldest first, at most `catchup_limit` (the newest ones). Instants that already have a run
 * in history are never run again.
 */
import type { Pipeline } from '../pipeline/types.js';
import type { HistoryStore } from '../store/history.js';
import type { CatalogEntry } from './catalog.js';
import type { HandledInstants } from './handled.js';
import type { DaemonLog } from './log.js';
import type { DaemonRuns, Firing } from './runs.js';

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

export interface CatchUpContext {
  store: HistoryStore;
  handled: HandledInstants;
  log: DaemonLog;
  runs: DaemonRuns;
}

/**
 * Decides and acts on one pipeline's missed instants, which the caller holds (HandledInstants): logs what passes and
 * what already ran (handled now), queues what runs (handled as each run is recorded).
 */
export async function catchUp(ctx: CatchUpContext, entry: CatalogEntry, missed: Date[], why: string): Promise<void> {
  if (missed.length === 0) return;
  const name = entry.pipeline.name;
  const oldest = missed[0] as Date;
  const runs = await ctx.store.list({ pipeline: name, since: new Date(oldest.getTime() - 1), limit: missed.length + 1000 });
  const decision = decideCatchUp(entry.pipeline, missed, new Set(runs.map((run) => Date.parse(run.logical_date))));
  if (decision.pass.length > 0) {
    const policy = entry.pipeline.catchup === false ? 'catchup is false, as cron' : `catchup is ${entry.pipeline.catchup}`;
    ctx.log.write(`missed ${name}: ${describeInstants(decision.pass)} ${why}; not run (${policy})`);
    ctx.runs.missed(entry, decision.pass, why);
  }
  if (decision.alreadyRun.length > 0) ctx.log.write(`${name}: ${describeInstants(decision.alreadyRun)} already ran; not run again`);
  ctx.handled.done(name, [...decision.pass, ...decision.alreadyRun]);
  if (decision.run.length > 0) {
    ctx.log.write(`catching up ${name}: ${describeInstants(decision.run)} ${why} (catchup: ${String(entry.pipeline.catchup)})`);
    ctx.runs.backlog(entry, decision.run.map((instant): Firing => ({ instant, trigger: 'catchup' })));
  }
}
