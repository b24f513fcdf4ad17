/**
 * `flow daemon` in a cluster: the connection (src/cluster/connection.ts), the role (lease, liveness, clock check), the last handled instants
 * in Redis, and the gate the daemon fires through. The daemon starts as a standby; on taking the lease it reads
 * the last handled instants and catches up, on losing it it fires nothing more.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { checkRedis, openRedis } from '../../cluster/connection.js';
import { attemptJobId, clusterKeys } from '../../cluster/keys.js';
import { displayUrl, type ClusterSettings } from '../../cluster/settings.js';
import { ClusterHistory } from '../../cluster/history/read.js';
import { ClusterRunSink, writeRecord } from '../../cluster/history/sink.js';
import type { HistorySink } from '../../runs/execute.js';
import type { RunRecord } from '../../store/record.js';
import type { Retention } from '../../store/retention.js';
import type { DaemonView } from '../daemon.js';
import type { DaemonLog } from '../log.js';
import { adoptRun } from './adopt.js';
import { within } from './lease.js';
import { OrphanWatch } from './orphans.js';
import { DaemonState } from '../state.js';
import { claimInstant } from './claims.js';
import type { ClusterGate } from './gate.js';
import { schedulerKeys } from './keys.js';
import { SchedulerRole } from './role.js';
import { ClusterState } from './state.js';

/** The lease's time to live; FLOW_CLUSTER_LEASE_MS sets it (tests use a short one; see README). */
export const DEFAULT_LEASE_MS = 6000;
/** How long a stop waits for Redis to take the last writes. */
const CLOSE_WAIT_MS = 5000;

export interface ClusterDaemon {
  activate(): void;
  standBy(): void;
  roleChanged(): void;
  readonly view: DaemonView;
}

export class ClusterScheduler {
  private constructor(
    readonly redis: Redis,
    readonly role: SchedulerRole,
    readonly gate: ClusterGate,
    private readonly state: ClusterState,
    readonly history: ClusterHistory,
    /** A history sink per run (RunServices.history): every run this scheduler runs is in Redis too. */
    readonly historySink: (secrets: readonly string[]) => HistorySink,
    /** A whole record (a skipped instant) written to the cluster's history. */
    readonly historyRecord: (record: RunRecord) => Promise<void>,
    private readonly orphans: OrphanWatch,
    private readonly settings: ClusterSettings,
  ) {}

  static async open(settings: ClusterSettings, home: string, log: DaemonLog, options: { leaseMs?: number; skewCheckMs?: number; retention: Retention }): Promise<ClusterScheduler> {
    // Refused in one line (exit 2) when Redis cannot be used at start; once running, the client reconnects forever.
    const facts = await checkRedis(settings);
    for (const warning of facts.warnings) log.write(`warning: ${warning}`);
    const redis = await openRedis(settings, 'scheduler', (message) => log.write(message));
    const keys = schedulerKeys(settings.prefix);
    const holder = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const role = new SchedulerRole(redis, keys, holder, leaseMs, (message) => log.write(message), options.skewCheckMs);
    const local = await DaemonState.open(home, (message) => log.write(message));
    const state = new ClusterState(redis, keys.lastInstant, local, (message) => log.write(message));
    const gate: ClusterGate = {
      state,
      active: () => role.lease.active,
      // A claim lasts as long as retention keeps runs: an instant older than that is never caught up again.
      claim: (pipeline, instant) => claimInstant(redis, keys, { holder, keepMs: options.retention.keepDays * 86_400_000, leaseMs }, pipeline, instant),
      view: () => role.view(),
    };
    log.write(`cluster: Redis ${facts.version} at ${displayUrl(settings.url)}, prefix ${settings.prefix}; this scheduler is ${holder}, starting as a standby`);
    const history = new ClusterHistory(redis, settings.prefix);
    const context = { redis, keys: history.keys, owner: holder, retention: options.retention, warn: (message: string) => log.write(message) };
    const historySink = (secrets: readonly string[]): HistorySink => new ClusterRunSink(context, secrets);
    const orphans = new OrphanWatch(redis, keys, history, holder, leaseMs);
    const historyRecord = (record: RunRecord): Promise<void> => writeRecord(context, record).catch((error: unknown) => log.write(`cluster history: writing run ${record.id} in Redis failed: ${(error as Error).message}`));
    return new ClusterScheduler(redis, role, gate, state, history, historySink, historyRecord, orphans, settings);
  }

  /** Starts taking part: the first step runs now. */
  async begin(daemon: ClusterDaemon): Promise<void> {
    await this.role.start({
      becameActive: async () => {
        await this.state.refresh();
        daemon.activate();
      },
      becameStandby: () => daemon.standBy(),
      holderChanged: () => daemon.roleChanged(),
      whileActive: async () => {
        const { catalog, runs, services, log } = daemon.view;
        const stopAttempt = (pipeline: string, runId: string, task: string, attempt: number): Promise<void> => this.stopAttempt(attemptJobId(pipeline, runId, task, attempt));
        for (const orphan of await this.orphans.check()) await adoptRun({ history: this.history, catalog, runs, services, log, stopAttempt }, orphan);
      },
    });
  }

  /** As src/cluster/stop.ts asks a worker: the stop key (checked at each heartbeat) and a message now; SIGKILL. */
  private async stopAttempt(jobId: string): Promise<void> {
    const keys = clusterKeys(this.settings.prefix);
    const keepMs = Math.max(this.settings.lockMs, this.settings.heartbeatMs) * 4;
    await this.redis.multi().set(keys.attemptStop(jobId), 'kill', 'PX', keepMs).publish(keys.stopChannel, JSON.stringify({ job: jobId, mode: 'kill' })).exec();
  }

  async retire(): Promise<void> {
    await this.role.retire();
  }

  /** Never waits long on a Redis that is away: a stop must not hang on it (what is unsent is caught up later). */
  async close(): Promise<void> {
    await this.role.stop();
    await within(this.state.flush(), CLOSE_WAIT_MS).catch(() => undefined);
    this.redis.disconnect();
  }
}

/** FLOW_CLUSTER_LEASE_MS and FLOW_CLUSTER_SKEW_CHECK_MS: shorter timings, for tests. */
export function timingsOf(env: NodeJS.ProcessEnv): { leaseMs?: number; skewCheckMs?: number } {
  const lease = Number(env.FLOW_CLUSTER_LEASE_MS);
  const skew = Number(env.FLOW_CLUSTER_SKEW_CHECK_MS);
  return {
    ...(Number.isInteger(lease) && lease >= 300 ? { leaseMs: lease } : {}),
    ...(Number.isInteger(skew) && skew >= 100 ? { skewCheckMs: skew } : {}),
  };
}
