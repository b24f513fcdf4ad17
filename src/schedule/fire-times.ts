/**
 * The functions the daemon and the CLI call: fire instants of a Schedule in a time zone, after a given instant.
 * Pure: the instant and the zone come in, instants go out; no clock is read here.
 */
import { firstFireFrom } from './dst.js';
import type { Schedule } from './schedule.js';
import { checkZone } from './zone.js';

/** At most this many instants from fireTimesBetween unless the caller says otherwise. */
export const DEFAULT_LIMIT = 10_000;

/** The first fire instant strictly after `after`, or undefined when there is none (never fires, @reboot). */
export function nextFireTime(schedule: Schedule, zone: string, after: Date): Date | undefined {
  checkZone(zone);
  const next = firstFireFrom(schedule, zone, firstSecondAfter(after));
  return next === undefined ? undefined : new Date(next * 1000);
}

/** The next `count` fire instants strictly after `after`, oldest first; fewer only when the schedule never fires. */
export function nextFireTimes(schedule: Schedule, zone: string, after: Date, count: number): Date[] {
  checkZone(zone);
  const times: Date[] = [];
  let from = firstSecondAfter(after);
  while (times.length < count) {
    const next = firstFireFrom(schedule, zone, from);
    if (next === undefined) break;
    times.push(new Date(next * 1000));
    from = next + 1;
  }
  return times;
}

/**
 * Fire instants in (fromExclusive, toInclusive], oldest first, at most `limit` of them (the oldest): the missed
 * runs a daemon catches up on after a sleep, or the runs a backfill replays.
 */
export function fireTimesBetween(schedule: Schedule, zone: string, fromExclusive: Date, toInclusive: Date, limit = DEFAULT_LIMIT): Date[] {
  checkZone(zone);
  const end = Math.floor(instantOf(toInclusive, 'toInclusive') / 1000);
  const times: Date[] = [];
  let from = firstSecondAfter(fromExclusive);
  while (times.length < limit && from <= end) {
    const next = firstFireFrom(schedule, zone, from);
    if (next === undefined || next > end) break;
    times.push(new Date(next * 1000));
    from = next + 1;
  }
  return times;
}

/** Fire times fall on whole seconds: the first one strictly after an instant. */
function firstSecondAfter(after: Date): number {
  return Math.floor(instantOf(after, 'after') / 1000) + 1;
}

function instantOf(date: Date, name: string): number {
  const time = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(time)) throw new TypeError(`${name} must be a valid Date`);
  return time;
}
