/**
 * What runs when a paused pipeline is unpaused: the instants of its schedule since it was paused, handled as its
 * `catchup` says (false: none, as cron would; `latest`: the newest once; `all`: each, up to `catchup_limit`).
 * Instants recorded `skipped` because of the pause count as missed; any other run of an instant counts as run.
 */
import { decideCatchUp, type CatchUpDecision } from '../daemon/catchup.js';
import type { Pipeline } from '../pipeline/types.js';
import type { Schedule } from '../schedule/index.js';
import { fireTimesBetween } from '../schedule/fire-times.js';
import type { HistoryStore } from '../store/history.js';

/** At most this many instants of a long pause are looked at (the newest ones run, as catch-up's limit says). */
const LOOK_AT = 100_000;

export async function unpauseCatchUp(store: HistoryStore, pipeline: Pipeline, schedule: Schedule, zone: string, pausedAt: Date, now: Date): Promise<CatchUpDecision> {
  const missed = fireTimesBetween(schedule, zone, new Date(pausedAt.getTime() - 1), now, LOOK_AT);
  if (missed.length === 0) return { run: [], pass: [], alreadyRun: [] };
  const oldest = missed[0] as Date;
  const runs = await store.list({ pipeline: pipeline.name, since: new Date(oldest.getTime() - 1), limit: missed.length + 1000 });
  const ran = runs.filter((run) => !(run.status === 'skipped' && (run as { reason?: string }).reason === 'paused'));
  return decideCatchUp(pipeline, missed, new Set(ran.map((run) => Date.parse(run.logical_date))));
}
