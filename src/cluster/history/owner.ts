/**
 * Who owns a run in the cluster's history while it runs, and how others know the owner still lives. A scheduler
 * owns its runs under its lease holder id (`host/pid/random`) and says it lives with its own key
 * (src/daemon/cluster/role.ts). A command that runs a pipeline itself (`flow run`, `retry`, `backfill`) owns its runs
 * under `host/pid/random/<command>`, and says it lives here: a key with an expiry, rewritten three times per time to
 * live. An active scheduler leaves a run alone while its owner's key is there; once it is gone, a scheduler's run is
 * finished by the active scheduler, a command's run is marked `interrupted` (nobody else may run it again silently:
 * whoever started it decides).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { HistorySink } from '../../runs/execute.js';
import type { Retention } from '../../store/retention.js';
import { historyKeys, type HistoryKeys } from './keys.js';
import { ClusterRunSink } from './sink.js';

/** A command's owner id, unique per process: `host/pid/random/run`. */
export function commandOwner(command: string): string {
  return `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}/${command}`;
}

/** The command that owns a run (`run`, `retry`, `backfill`), or undefined for a scheduler's run. */
export function ownerCommand(owner: string): string | undefined {
  const parts = owner.split('/');
  return parts.length === 4 ? parts[3] : undefined;
}

/** `its flow run on db1 (pid 4242) died`: why a dead command's run was interrupted. */
export function commandDied(owner: string): string {
  const [host = owner, pid = '?', , command = 'run'] = owner.split('/');
  return `its flow ${command} on ${host} (pid ${pid}) died`;
}

/**
 * Keeps a command's liveness key while the process lives; the timer never keeps the process up on its own. The key
 * is left to expire when the command ends: its runs have ended by then and left the running hash.
 */
export class OwnerHeartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: HistoryKeys,
    readonly owner: string,
    private readonly ttlMs: number,
  ) {}

  /** Writes the key once (awaited: a run's record names its owner only once the key is there), then keeps it. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), Math.max(100, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    await this.redis.set(this.keys.alive(this.owner), String(Date.now()), 'PX', this.ttlMs * 2);
  }
}

/**
 * The history of a command that runs a pipeline itself in cluster mode: its liveness key, kept from now on, and a
 * history sink per run (RunServices.history) whose records name it as their owner.
 */
export async function commandHistory(redis: Redis, options: { prefix: string; command: string; ttlMs: number; retention: Retention; warn: (message: string) => void }): Promise<(secrets: readonly string[]) => HistorySink> {
  const keys = historyKeys(options.prefix);
  const heartbeat = new OwnerHeartbeat(redis, keys, commandOwner(options.command), options.ttlMs);
  await heartbeat.start();
  const context = { redis, keys, owner: heartbeat.owner, retention: options.retention, warn: options.warn };
  return (secrets) => new ClusterRunSink(context, secrets);
}
