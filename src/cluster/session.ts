/**
 * One process's hold on the cluster: the start-time check, a client for flow's own commands, BullMQ queues by
 * pool, and a few connections for blocking stream reads. Schedulers, `flow run` and workers all open one.
 */
import type { Redis } from 'ioredis';
import type * as BullmqModule from 'bullmq';
import type { Queue } from 'bullmq';

type Bullmq = typeof BullmqModule;

/** BullMQ is CommonJS: a bundle split into chunks may give its exports only as `default`. */
export async function loadBullmq(): Promise<Bullmq> {
  const loaded = (await import('bullmq')) as Bullmq & { default?: Bullmq };
  return typeof loaded.Queue === 'function' ? loaded : (loaded.default);
}
import { checkRedis, openRedis, type LogLine } from './connection.js';
import { clusterKeys, type ClusterKeys } from './keys.js';
import type { ClusterSettings } from './settings.js';

export interface ClusterSession {
  settings: ClusterSettings;
  keys: ClusterKeys;
  /** For flow's own commands (never blocking ones). */
  redis: Redis;
  log: LogLine;
  /** The queue of a pool, made once per process. */
  queue(pool: string): Promise<Queue>;
  /** A connection for blocking reads (XREAD BLOCK), returned with `release` for the next reader. */
  acquireReader(): Redis;
  releaseReader(reader: Redis): void;
  close(): Promise<void>;
}

/** Checks Redis (a FlowError E_REDIS when it cannot be used), logs its warnings, and opens the session. */
export async function openCluster(settings: ClusterSettings, name: string, log: LogLine): Promise<ClusterSession> {
  const facts = await checkRedis(settings);
  for (const warning of facts.warnings) log(`warning: ${warning}`);
  const redis = await openRedis(settings, name, log);
  const keys = clusterKeys(settings.prefix);
  const queues = new Map<string, Promise<Queue>>();
  const idle: Redis[] = [];
  const readers = new Set<Redis>();
  return {
    settings,
    keys,
    redis,
    log,
    queue(pool) {
      let queue = queues.get(pool);
      if (queue === undefined) {
        queue = loadBullmq().then(({ Queue }) => new Queue(keys.queue(pool), { connection: redis, prefix: keys.bullPrefix }));
        queues.set(pool, queue);
      }
      return queue;
    },
    acquireReader() {
      const reader = idle.pop() ?? redis.duplicate({ connectionName: `flow-${name}-reader` });
      readers.add(reader);
      return reader;
    },
    releaseReader(reader) {
      idle.push(reader);
    },
    async close() {
      for (const queue of queues.values()) await (await queue).close().catch(() => undefined);
      for (const reader of readers) reader.disconnect();
      redis.disconnect();
    },
  };
}
