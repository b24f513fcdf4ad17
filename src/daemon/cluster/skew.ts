/**
 * Schedulers fire by their own wall clock; in a cluster the one that takes over catches up from instants another
 * recorded, so their clocks must agree. Redis's TIME is the common reference: a clock more than a second off it
 * (allowing for the round trip) gets a warning in daemon.log, once as it goes off and once as it comes back.
 */
import type { Redis } from 'ioredis';

export const SKEW_LIMIT_MS = 1000;

/**
 * How far this clock is ahead of Redis's (negative: behind), in ms, the round trip's half taken off; undefined when
 * the answer took too long to say (a reconnection in between).
 */
export async function clockOffset(redis: Redis, now: () => number = Date.now): Promise<number | undefined> {
  const before = now();
  const [seconds, micros] = await redis.time();
  const after = now();
  if (after - before > SKEW_LIMIT_MS / 2) return undefined;
  const redisMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  return (before + after) / 2 - redisMs;
}

export class SkewWatch {
  private off = false;

  constructor(private readonly warn: (message: string) => void) {}

  async check(redis: Redis): Promise<void> {
    const offset = await clockOffset(redis);
    if (offset === undefined) return;
    const off = Math.abs(offset) > SKEW_LIMIT_MS;
    if (off && !this.off) {
      const how = offset > 0 ? 'ahead of' : 'behind';
      this.warn(`warning: this host's clock is ${(Math.abs(offset) / 1000).toFixed(1)}s ${how} Redis's (TIME); schedulers fire by their own clocks, so keep them in sync (NTP)`);
    } else if (!off && this.off) this.warn(`this host's clock agrees with Redis's again (within ${SKEW_LIMIT_MS / 1000}s)`);
    this.off = off;
  }
}
