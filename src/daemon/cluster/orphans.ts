/**
 * Runs whose scheduler died: a run still running in the cluster's history whose owner's liveness key is gone, on two
 * checks at least twice the lease's time to live apart (a scheduler cut off from Redis for a moment keeps its runs).
 * The active scheduler marks each `interrupted` with the reason, then finishes it where it can (adopt.ts). A run of
 * a command (`flow run`) has its command's own liveness key (src/cluster/history/owner.ts), looked at the same way.
 */
import type { Redis } from 'ioredis';
import type { ClusterHistory, OwnedRun } from '../../cluster/history/read.js';
import { runMember } from '../../cluster/history/keys.js';
import { ownerCommand } from '../../cluster/history/owner.js';
import type { SchedulerKeys } from './keys.js';

export class OrphanWatch {
  /** Run member → when its owner was first seen gone. */
  private readonly suspects = new Map<string, number>();
  private readonly adopted = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: SchedulerKeys,
    private readonly history: ClusterHistory,
    private readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  /** The runs to take over now. */
  async check(now = Date.now()): Promise<OwnedRun[]> {
    const running = (await this.history.running()).filter((run) => run.owner !== this.holder && !this.adopted.has(runMember(run.pipeline, run.id)));
    const owners = [...new Set(running.map((run) => run.owner))];
    // A scheduler says it lives with its own key; a command that runs a pipeline itself (`flow run`) with its own.
    const aliveKey = (owner: string): string => (ownerCommand(owner) === undefined ? this.keys.alive(owner) : this.history.keys.alive(owner));
    const alive = owners.length === 0 ? [] : await this.redis.mget(...owners.map(aliveKey));
    const dead = new Set(owners.filter((_owner, at) => alive[at] === null));
    const due: OwnedRun[] = [];
    const seen = new Set<string>();
    for (const run of running) {
      const member = runMember(run.pipeline, run.id);
      seen.add(member);
      if (!dead.has(run.owner)) {
        this.suspects.delete(member);
        continue;
      }
      const since = this.suspects.get(member);
      if (since === undefined) this.suspects.set(member, now);
      else if (now - since >= this.ttlMs * 2) {
        this.suspects.delete(member);
        this.adopted.add(member);
        due.push(run);
      }
    }
    for (const member of this.suspects.keys()) if (!seen.has(member)) this.suspects.delete(member);
    return due;
  }
}
