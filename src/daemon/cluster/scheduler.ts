/**
 * `flow daemon` in a cluster: the connection, the role (lease, liveness, clock check), the last handled instants
 * in Redis, and the gate the daemon fires through. The daemon starts as a standby; on taking the lease it reads
 * the last handled instants and catches up, on losing it it fires nothing more.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { DaemonLog } from '../log.js';
import { DaemonState } from '../state.js';
import { claimInstant } from './claims.js';
import type { ClusterGate } from './gate.js';
import { schedulerKeys } from './keys.js';
import { connectScheduler, type ClusterSettings } from './redis.js';
import { SchedulerRole } from './role.js';
import { ClusterState } from './state.js';

/** The lease's time to live; FLOW_CLUSTER_LEASE_MS sets it (tests use a short one; see README). */
export const DEFAULT_LEASE_MS = 6000;

export interface ClusterDaemon {
  activate(): void;
  standBy(): void;
}

export class ClusterScheduler {
  private constructor(
    readonly redis: Redis,
    readonly role: SchedulerRole,
    readonly gate: ClusterGate,
    private readonly state: ClusterState,
  ) {}

  static async open(settings: ClusterSettings, home: string, log: DaemonLog, options: { leaseMs?: number; keepMs: number }): Promise<ClusterScheduler> {
    const redis = await connectScheduler(settings, (message) => log.write(message));
    const keys = schedulerKeys(settings.prefix);
    const holder = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
    const role = new SchedulerRole(redis, keys, holder, options.leaseMs ?? DEFAULT_LEASE_MS, (message) => log.write(message));
    const local = await DaemonState.open(home, (message) => log.write(message));
    const state = new ClusterState(redis, keys.lastInstant, local, (message) => log.write(message));
    const gate: ClusterGate = {
      state,
      active: () => role.lease.active,
      claim: (pipeline, instant) => claimInstant(redis, keys, holder, pipeline, instant, options.keepMs),
      view: () => role.view(),
    };
    log.write(`cluster: Redis at ${settings.url}, prefix ${settings.prefix}; this scheduler is ${holder}, starting as a standby`);
    return new ClusterScheduler(redis, role, gate, state);
  }

  /** Starts taking part: the first step runs now. */
  async begin(daemon: ClusterDaemon): Promise<void> {
    await this.role.start({
      becameActive: async () => {
        await this.state.refresh();
        daemon.activate();
      },
      becameStandby: () => daemon.standBy(),
    });
  }

  async retire(): Promise<void> {
    await this.role.retire();
  }

  async close(): Promise<void> {
    await this.role.stop();
    await this.state.flush();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export function leaseMsOf(env: NodeJS.ProcessEnv): number | undefined {
  const value = Number(env.FLOW_CLUSTER_LEASE_MS);
  return Number.isInteger(value) && value >= 300 ? value : undefined;
}
