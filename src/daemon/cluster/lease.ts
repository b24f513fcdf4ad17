/**
 * One active scheduler at a time: a lease in Redis (SET NX PX), renewed every third of its time to live by its
 * holder only (a script compares the value). A standby tries to take it as often; it gets it once the holder stops
 * renewing (dead, or cut off) and the key expires. A holder that finds the lease not its own stops firing at once.
 * A holder that Redis does not answer is `unreachable`: it goes on firing, since every run starts only through a
 * claim that checks the lease in Redis (claims.ts): what it fires meanwhile runs once Redis answers, if the lease
 * is still its own or free, and never otherwise.
 */
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Takes a free lease, or one already ours (an earlier answer that came too late to count). */
const TAKE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class Lease {
  private held = false;
  private unreachable = false;
  private renewedAt = 0;
  private seenHolder: string | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly holder: string,
    readonly ttlMs: number,
  ) {}

  /** Whether this scheduler fires: it holds the lease, or held it when Redis stopped answering. */
  get active(): boolean {
    return this.held || this.unreachable;
  }

  /** Held, and Redis has not answered for a whole time to live: the lease may have expired meanwhile. */
  get unsure(): boolean {
    return this.unreachable;
  }

  /** Who held the lease when last looked at (null: nobody). */
  get holderSeen(): string | null {
    return this.seenHolder;
  }

  /** One step: renew (when held) or try to take it. Returns whether this process holds the lease now. */
  async tick(now = Date.now()): Promise<boolean> {
    // Commands wait while Redis reconnects; a step waits no longer than the lease could still be valid.
    const limit = this.held ? Math.max(1, this.renewedAt + this.ttlMs - now) : this.ttlMs;
    try {
      const script = this.held ? RENEW : TAKE;
      const answer = (await within(this.redis.eval(script, 1, this.key, this.holder, String(this.ttlMs)), limit)) as number;
      // The lease's time counts from when the command was sent (Redis ran it later, so it expires later). An answer
      // that waited out a reconnection leaves too little of it to count on: the next step takes it again.
      const fresh = Date.now() - now < this.ttlMs / 3;
      this.held = answer === 1 && (this.held || this.unreachable || fresh);
      this.unreachable = false;
      if (this.held) this.renewedAt = now;
      this.seenHolder = this.held ? this.holder : await within(this.redis.get(this.key), limit);
    } catch {
      // A holder counts on its lease only as long as it could have been renewed.
      if (this.held && now - this.renewedAt >= this.ttlMs) {
        this.held = false;
        this.unreachable = true;
      }
    }
    return this.active;
  }

  /** Gives the lease up (a graceful stop), so a standby takes over without waiting for it to expire. */
  async release(): Promise<void> {
    if (!this.active) return;
    this.held = false;
    this.unreachable = false;
    await within(this.redis.eval(RELEASE, 1, this.key, this.holder), this.ttlMs).catch(() => undefined);
  }
}

/** `work`, or a rejection after `ms` (commands wait in ioredis's queue while Redis is away). */
export function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no answer from Redis in ${ms} ms`)), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
