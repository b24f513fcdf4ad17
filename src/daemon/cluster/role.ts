/**
 * A scheduler's role in a cluster, decided again at every step: active while it holds the lease, standby
 * otherwise. Each step also says this process is alive (a key with an expiry: runs whose owner's key is gone
 * have no owner any more) and, every few steps, compares the clock with Redis's. Becoming active and standing
 * by are handed to the daemon; steps never overlap, so a takeover's catch-up starts from what Redis holds.
 */
import type { Redis } from 'ioredis';
import { holderHost, type SchedulerKeys } from './keys.js';
import { Lease, within } from './lease.js';
import { SkewWatch } from './skew.js';

export interface RoleChanges {
  becameActive(): Promise<void>;
  becameStandby(): void;
  /** At every step while active (runs whose scheduler died are looked for here). */
  whileActive(): Promise<void>;
  /** Another scheduler holds the lease now (or none does): for `flow status`. */
  holderChanged(): void;
}

export interface RoleView {
  role: 'active' | 'standby';
  /** Host of the scheduler holding the lease (null: nobody holds it now). */
  lease_holder: string | null;
}

/** How often the clock is compared with Redis's; FLOW_CLUSTER_SKEW_CHECK_MS shortens it for tests. */
export const SKEW_EVERY_MS = 10_000;

export class SchedulerRole {
  readonly lease: Lease;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private retired = false;
  private lastSkew = 0;
  private lastHolder: string | null | undefined;
  private wasUnsure = false;
  private looking: Promise<void> | undefined;
  private readonly skew: SkewWatch;

  constructor(
    private readonly redis: Redis,
    private readonly keys: SchedulerKeys,
    holder: string,
    ttlMs: number,
    private readonly log: (message: string) => void,
    private readonly skewEveryMs = SKEW_EVERY_MS,
  ) {
    this.lease = new Lease(redis, keys.lease, holder, ttlMs);
    this.skew = new SkewWatch(log);
  }

  get holder(): string {
    return this.lease.holder;
  }

  view(): RoleView {
    const seen = this.lease.holderSeen;
    return { role: this.lease.active ? 'active' : 'standby', lease_holder: seen === null ? null : holderHost(seen) };
  }

  /** Runs the first step now; resolves once it is done (the daemon knows its role before it says it started). */
  async start(changes: RoleChanges): Promise<void> {
    await this.step(changes);
  }

  /** A stop begins: give the lease up at once for a standby to take, but stay alive while runs end. */
  async retire(): Promise<void> {
    this.retired = true;
    await this.lease.release();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.lease.release();
    await within(this.redis.del(this.keys.alive(this.holder)), this.lease.ttlMs).catch(() => undefined);
  }

  private async step(changes: RoleChanges): Promise<void> {
    if (this.stopped) return;
    const ttl = this.lease.ttlMs;
    // Not awaited: while Redis is away it waits in the queue, and the lease's own step bounds how long a step takes.
    this.redis.set(this.keys.alive(this.holder), String(Date.now()), 'PX', ttl * 2).catch(() => undefined);
    if (this.retired) {
      this.timer = setTimeout(() => void this.step(changes), ttl / 3);
      return;
    }
    const was = this.lease.active;
    const now = await this.lease.tick();
    if (!was && now) {
      this.log(`active scheduler: took the lease (expires ${ttl} ms after its last renewal)`);
      await changes.becameActive().catch((error: unknown) => this.log(`taking over failed: ${(error as Error).message}`));
    } else if (was && !now) {
      this.log('lost the scheduler lease: firing nothing more, standing by');
      changes.becameStandby();
    }
    if (this.lease.unsure !== this.wasUnsure) {
      this.wasUnsure = this.lease.unsure;
      this.log(this.wasUnsure ? 'cannot renew the scheduler lease: Redis does not answer; instants due meanwhile run once it does, if the lease is still this scheduler\'s' : 'renewed the scheduler lease');
    }
    // In the background, one at a time: a step never waits on Redis longer than the lease allows.
    if (now && !this.lease.unsure && this.looking === undefined) {
      this.looking = changes
        .whileActive()
        .catch((error: unknown) => this.log(`looking for runs whose scheduler died failed: ${(error as Error).message}`))
        .finally(() => (this.looking = undefined));
    }
    const seen = this.lease.holderSeen;
    if (!now && seen !== this.lastHolder) {
      this.log(seen === null ? 'standby: no scheduler holds the lease' : `standby: the active scheduler is ${seen}`);
      changes.holderChanged();
    }
    this.lastHolder = seen;
    if (Date.now() - this.lastSkew >= this.skewEveryMs) {
      this.lastSkew = Date.now();
      this.skew.check(this.redis).catch(() => undefined);
    }
    if (this.stopped) return;
    // A holder renews three times per time to live; a standby looks five times, so it takes over soon after expiry.
    this.timer = setTimeout(() => void this.step(changes), now ? ttl / 3 : ttl / 5);
  }
}
