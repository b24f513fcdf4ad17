/**
 * Which instants the daemon may remember as handled. An instant is handled once its run (or the record of its skip)
 * is on disk, or once the decision to let it pass is logged; the run record is the truth. `daemon-state.json`'s last
 * instant per pipeline is the newest instant such that every earlier instant due to run already has its record: it
 * never gets ahead of history. After a kill -9 the daemon then finds every instant that had not run yet among the
 * missed ones, and the history check in catch-up keeps those that did run from running twice.
 */
import type { InstantState } from './state.js';

export class HandledInstants {
  /** Per pipeline: instants decided on or due to run whose record is not on disk yet (epoch ms → how many times). */
  private readonly held = new Map<string, Map<number, number>>();
  /** Per pipeline: the newest instant handled in this daemon's life. */
  private readonly newest = new Map<string, number>();

  constructor(private readonly state: InstantState) {}

  /** The instants are about to run or be decided on: the remembered instant stays below them until they are done. */
  hold(pipeline: string, instants: readonly Date[]): void {
    const held = this.held.get(pipeline) ?? new Map<number, number>();
    for (const instant of instants) held.set(instant.getTime(), (held.get(instant.getTime()) ?? 0) + 1);
    this.held.set(pipeline, held);
  }

  /** Their records are on disk, or they were let pass (and said so). An instant never done keeps its hold for good. */
  done(pipeline: string, instants: readonly Date[]): void {
    if (instants.length === 0) return;
    const held = this.held.get(pipeline);
    let newest = this.newest.get(pipeline) ?? -Infinity;
    for (const instant of instants) {
      const time = instant.getTime();
      newest = Math.max(newest, time);
      const count = held?.get(time) ?? 0;
      if (count > 1) held?.set(time, count - 1);
      else held?.delete(time);
    }
    if (held?.size === 0) this.held.delete(pipeline);
    this.newest.set(pipeline, newest);
    let oldestHeld = Infinity;
    for (const time of this.held.get(pipeline)?.keys() ?? []) oldestHeld = Math.min(oldestHeld, time);
    // Just before the oldest held instant: a restart looks for missed instants strictly after the remembered one.
    this.state.setLastInstant(pipeline, new Date(Math.min(newest, oldestHeld - 1)));
  }

  /**
   * The instants were not decided on here after all (a cluster scheduler that lost its lease before firing them):
   * their holds go, and they are not handled, so the scheduler that is active now catches them up.
   */
  release(pipeline: string, instants: readonly Date[]): void {
    const held = this.held.get(pipeline);
    for (const instant of instants) {
      const count = held?.get(instant.getTime()) ?? 0;
      if (count > 1) held?.set(instant.getTime(), count - 1);
      else held?.delete(instant.getTime());
    }
    if (held?.size === 0) this.held.delete(pipeline);
  }

  /** After the clock was set back a lot: instants handled later than the new time no longer hold the state up. */
  forgetFuture(now: Date): void {
    for (const [pipeline, newest] of this.newest) if (newest > now.getTime()) this.newest.set(pipeline, now.getTime());
  }
}
