/**
 * The daemon's `--max-tasks` pool as one run sees it. cron has no such cap, so a run held back by it must say so:
 * without this line, daemon.log would say a run fired on time while its tasks sat waiting.
 */
import type { SlotPool, Slots } from '../engine/slots.js';
import { formatDuration } from '../util/duration.js';

/** `say` gets one line when a task of the run starts waiting for a slot, and one when it gets it. */
export function loggedSlots(pool: Slots, say: (message: string) => void, now: () => number = Date.now): SlotPool {
  let since: number | undefined;
  return {
    tryAcquire(): boolean {
      if (pool.tryAcquire()) {
        if (since !== undefined) say(`got a task slot after waiting ${formatDuration(now() - since)}`);
        since = undefined;
        return true;
      }
      if (since === undefined) {
        since = now();
        say(`a task waits for a slot: all ${pool.size} of --max-tasks are in use`);
      }
      return false;
    },
    release: () => pool.release(),
    onRelease: (wake) => pool.onRelease(wake),
  };
}
