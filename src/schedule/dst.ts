/**
 * Fire instants in a time zone, with cronie's rules for the wall-clock times that a change of offset skips or
 * repeats. cron(8) keeps a virtual clock in local minutes; when it wakes, src/cron.c's main loop compares the clock
 * with the last minute it handled (timeDiff) and, by the size of the jump, runs:
 *
 * - small jump forward (timeDiff 2-5, up to 4 minutes skipped): every job of each skipped minute, at once;
 * - medium jump forward (timeDiff 6-180, as when daylight saving starts): wildcard jobs for the current minute
 *   only, so they lose the skipped minutes, and fixed-time jobs for each skipped minute, at once, after the gap;
 * - jump backward (timeDiff 0 to -180, as when daylight saving ends): wildcard jobs only, until the clock has
 *   caught up, so fixed-time jobs run in the first pass through the repeated times and wildcard jobs in both;
 * - larger jumps either way: the virtual clock is reset and the current minute's jobs run, as at start.
 *
 * A job is never queued twice for one wake-up (job_add), so several skipped matches make one run. Here a skipped
 * match fires at the first instant after the gap (03:00:00 local in New York on 2026-03-08), once. With flow's
 * seconds field the same rules apply per second; the kind of job still comes from the minute and hour fields.
 */
import { nextWallMatch } from './wall.js';
import { canFire } from './never.js';
import type { Schedule } from './schedule.js';
import { offsetAt, transitionsBetween, type Transition } from './zone.js';

export type JumpKind = 'small' | 'medium' | 'backward' | 'large';

/** cron.c's wakeupKind for a change of offset: timeDiff counts minutes from the last minute handled. */
export function jumpKind(change: Transition): JumpKind {
  const timeDiff = Math.round((change.after - change.before) / 60) + 1;
  if (timeDiff > 180 || timeDiff < -180) return 'large';
  if (timeDiff > 5) return 'medium';
  if (timeDiff > 0) return 'small';
  return 'backward';
}

/** A repeat of wall-clock time lasts at most this long and still counts as a backward jump (180 minutes). */
const LONGEST_REPEAT = 4 * 3600;
/** Changes of offset between one fire time and the next: two a year, over the ~40 years a schedule can skip. */
const MAX_CHANGES = 1_000;

/** The first fire instant ≥ `start` (seconds since the epoch), or undefined when there is none. */
export function firstFireFrom(schedule: Schedule, zone: string, start: number): number | undefined {
  if (schedule.reboot || !canFire(schedule)) return undefined;
  let from = schedule.kind === 'fixed' ? pastRepeat(zone, start) : start;
  for (let crossed = 0; crossed < MAX_CHANGES; crossed++) {
    const offset = offsetAt(zone, from);
    const wall = nextWallMatch(schedule, from + offset);
    if (wall === undefined) return undefined;
    const candidate = wall - offset;
    const change = transitionsBetween(zone, from, candidate)[0];
    if (change === undefined) return candidate;
    if (change.after > change.before && firesInGap(schedule, change)) return change.at;
    from = change.at;
    if (schedule.kind === 'fixed' && repeats(change)) from = change.at + (change.before - change.after);
  }
  return undefined;
}

/** Whether a match skipped by a forward change runs right after it. */
function firesInGap(schedule: Schedule, change: Transition): boolean {
  const kind = jumpKind(change);
  if (kind === 'large' || (kind === 'medium' && schedule.kind === 'wildcard')) return false;
  const match = nextWallMatch(schedule, change.at + change.before);
  return match !== undefined && match < change.at + change.after;
}

/** A backward change whose repeated wall-clock times run wildcard jobs only. */
function repeats(change: Transition): boolean {
  return change.after < change.before && jumpKind(change) === 'backward';
}

/** For a fixed-time job: the first instant ≥ `instant` outside the second pass through repeated wall-clock times. */
function pastRepeat(zone: string, instant: number): number {
  let from = instant;
  for (const change of transitionsBetween(zone, instant - LONGEST_REPEAT, instant)) {
    const end = change.at + (change.before - change.after);
    if (repeats(change) && from < end) from = end;
  }
  return from;
}
