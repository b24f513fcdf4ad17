/**
 * What the daemon does when the wall clock jumps while it runs (a stepped clock, NTP fixing a bad RTC, a suspend),
 * after cronie's main loop (src/cron.c): it compares the clock with the time it last looked and, by the size of the
 * difference (its wakeupKind):
 *
 * - up to 5 minutes forward (normal and "small" wakes): every instant due meanwhile runs, late;
 * - more than 5 minutes and up to 3 hours forward ("medium", as when daylight saving starts): fixed-time
 *   pipelines run each skipped instant, late; wildcard pipelines only what is due in the current minute;
 * - more than 3 hours forward ("large"): only what is due in the current minute runs, as at start;
 * - back by up to 3 hours (negative, as when daylight saving ends): wildcard pipelines keep firing from the new
 *   time; fixed-time pipelines wait until the clock passes the latest time seen, so they do not run twice;
 * - back by more than 3 hours: everything is scheduled afresh from the new time.
 *
 * Instants a forward jump skips and these rules do not run are missed, and go to the pipeline's `catchup`.
 * Daylight-saving changes are not jumps here: the daemon works in absolute time and the schedule module applies
 * cronie's rules for them (src/schedule/dst.ts). A schedule's kind (wildcard or fixed-time) is cronie's too.
 */
import type { Schedule } from '../schedule/index.js';
import { formatDuration } from '../util/duration.js';
import { isoWithOffset } from '../util/time.js';
import type { DaemonLog } from './log.js';
import type { InstantState } from './state.js';

const MINUTE = 60_000;
/** cronie's "small" jumps: timeDiff up to 5 minutes. */
const SMALL_FORWARD_MS = 5 * MINUTE;
/** cronie's limit between medium and large jumps, and between negative and large: 3 hours. */
const LARGE_MS = 180 * MINUTE;
/** A step back smaller than this is noise (the timer's own rounding), not a jump. */
const BACK_NOISE_MS = 1000;
/** Instants due this recently count as the current minute's. */
export const CURRENT_MS = MINUTE;

export type Jump =
  | { kind: 'none' }
  | { kind: 'medium' | 'large'; forwardMs: number }
  | { kind: 'back' | 'back-large'; backMs: number; behindMs: number; highest: number };

/** The wall clock when the daemon last looked, and the latest wall time it has seen (they differ after a step back). */
export class ClockWatch {
  private lastSeen: number;
  highest: number;

  constructor(now: number) {
    this.lastSeen = now;
    this.highest = now;
  }

  look(now: number): Jump {
    const jump = classifyJump(now, this.lastSeen, this.highest);
    if (jump.kind === 'back-large') this.highest = now;
    this.lastSeen = now;
    this.highest = Math.max(this.highest, now);
    return jump;
  }
}

/**
 * `lastSeen`: the wall clock when the daemon last looked; `highest`: the latest wall time it has seen (the two
 * differ while the clock catches up after a step back).
 */
export function classifyJump(now: number, lastSeen: number, highest: number): Jump {
  const behind = highest - now;
  if (now < lastSeen - BACK_NOISE_MS || behind > LARGE_MS) {
    return { kind: behind > LARGE_MS ? 'back-large' : 'back', backMs: lastSeen - now, behindMs: behind, highest };
  }
  const forward = now - lastSeen;
  if (forward > LARGE_MS) return { kind: 'large', forwardMs: forward };
  if (forward > SMALL_FORWARD_MS) return { kind: 'medium', forwardMs: forward };
  return { kind: 'none' };
}

/** Of the instants due at a wake (oldest first), those that fire now and those that were missed. */
export function splitDue(due: readonly Date[], now: number, jump: Jump, kind: Schedule['kind']): { fire: Date[]; missed: Date[] } {
  const onlyCurrent = jump.kind === 'large' || (jump.kind === 'medium' && kind === 'wildcard');
  if (!onlyCurrent) return { fire: [...due], missed: [] };
  const missed = due.filter((instant) => now - instant.getTime() > CURRENT_MS);
  return { fire: due.slice(missed.length), missed };
}

/** Where a pipeline's next instant is looked for after a step back: fixed-time ones wait for the clock to pass `highest`. */
export function resumeFrom(jump: Jump, kind: Schedule['kind'], now: number): number {
  return jump.kind === 'back' && kind === 'fixed' ? Math.max(now, jump.highest) : now;
}

/** The daemon.log line for a jump (undefined when there was none). */
export function describeJump(jump: Jump): string | undefined {
  switch (jump.kind) {
    case 'none':
      return undefined;
    case 'medium':
      return `the clock jumped forward by ${formatDuration(jump.forwardMs)} (a step or a suspend): as cron, fixed-time pipelines run each instant skipped, wildcard pipelines only what is due now`;
    case 'large':
      return `the clock jumped forward by ${formatDuration(jump.forwardMs)} (a step or a suspend), more than 3 hours: as cron, only what is due now runs`;
    case 'back':
      return `the clock was set back by ${formatDuration(jump.backMs)}: as cron, wildcard pipelines fire from the new time; fixed-time pipelines wait until it passes ${isoWithOffset(new Date(jump.highest))}, so they do not run twice`;
    case 'back-large':
      return `the clock was set back by ${formatDuration(jump.behindMs)}, more than 3 hours: as cron, every pipeline is scheduled afresh from the new time`;
  }
}

/**
 * At start: a remembered instant later than now was handled by a clock that was ahead (a bad RTC that NTP then
 * fixed) or has since been set back. Trusting it would fire nothing until the clock reaches it, so it is set
 * aside, with a warning, and the pipeline is scheduled from now.
 */
export function distrustTheFuture(state: InstantState, log: DaemonLog, now: Date = new Date()): void {
  const future = state.resetFuture(now);
  if (future.length === 0) return;
  const list = future.map(({ pipeline, instant }) => `${pipeline} (${isoWithOffset(instant)})`).join(', ');
  log.write(`warning: daemon-state.json remembers instants later than now for ${list}: the clock was ahead then, or has been set back; not trusted: scheduling from now`);
}
