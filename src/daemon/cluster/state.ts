/**
 * The last instant handled per pipeline, kept in Redis in a cluster, so the scheduler that takes over knows what the
 * one before it had not fired. Read whole when this scheduler becomes active; every change is sent at once and
 * only ever moves an instant forward (a script keeps the larger), whichever scheduler sends it. The boot marker of
 * `@reboot` stays in this host's own state file: a boot is a host's.
 */
import type { Redis } from 'ioredis';
import type { DaemonState, InstantState } from '../state.js';

const KEEP_LATER = `local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current or tonumber(current) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return 1`;

export class ClusterState implements InstantState {
  private readonly instants = new Map<string, number>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly local: DaemonState,
    private readonly warn: (message: string) => void,
  ) {}

  /** What Redis holds now (on becoming active). */
  async refresh(): Promise<void> {
    const all = await this.redis.hgetall(this.key);
    for (const [pipeline, text] of Object.entries(all)) {
      const time = Number(text);
      if (Number.isFinite(time) && time > (this.instants.get(pipeline) ?? -Infinity)) this.instants.set(pipeline, time);
    }
  }

  lastInstant(pipeline: string): Date | undefined {
    const time = this.instants.get(pipeline);
    return time === undefined ? undefined : new Date(time);
  }

  setLastInstant(pipeline: string, instant: Date): void {
    const current = this.instants.get(pipeline);
    if (current !== undefined && current >= instant.getTime()) return;
    this.instants.set(pipeline, instant.getTime());
    this.send(this.redis.eval(KEEP_LATER, 1, this.key, pipeline, String(instant.getTime())));
  }

  resetFuture(now: Date): { pipeline: string; instant: Date }[] {
    const reset: { pipeline: string; instant: Date }[] = [];
    for (const [pipeline, time] of this.instants) {
      if (time <= now.getTime()) continue;
      reset.push({ pipeline, instant: new Date(time) });
      this.instants.set(pipeline, now.getTime());
      this.send(this.redis.hset(this.key, pipeline, String(now.getTime())));
    }
    return reset;
  }

  get bootId(): string | null {
    return this.local.bootId;
  }

  set bootId(id: string | null) {
    this.local.bootId = id;
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.local.flush();
  }

  private send(write: Promise<unknown>): void {
    const tracked: Promise<unknown> = write
      .catch((error: unknown) => this.warn(`cannot write the last handled instant to Redis: ${(error as Error).message}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}
