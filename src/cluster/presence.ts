/**
 * Who works for the cluster: each worker rewrites its entry every heartbeat (a hash that expires after three missed
 * beats, and its score in one sorted set); readers list the entries still alive. `flow status` shows them, and the
 * remote runner asks whether a pool has anyone at all.
 */
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './keys.js';

export interface RunningTask {
  job: string;
  pipeline: string;
  run: string;
  task: string;
  attempt: number;
  since: string;
}

export interface WorkerPresence {
  id: string;
  host: string;
  pid: number;
  pools: string[];
  concurrency: number;
  version: string;
  started: string;
  /** ISO time of the last heartbeat, by the worker's clock. */
  heartbeat: string;
  running: RunningTask[];
}

/** Beats missed before a worker no longer counts. */
const MISSED_BEATS = 3;

export async function announce(redis: Redis, keys: ClusterKeys, presence: WorkerPresence, heartbeatMs: number): Promise<void> {
  const key = keys.worker(presence.id);
  await redis
    .multi()
    .set(key, JSON.stringify(presence), 'PX', heartbeatMs * MISSED_BEATS)
    .zadd(keys.workers, Date.now(), presence.id)
    .exec();
}

export async function withdraw(redis: Redis, keys: ClusterKeys, id: string): Promise<void> {
  await redis.multi().del(keys.worker(id)).zrem(keys.workers, id).exec();
}

/** Every worker whose entry has not expired; the sorted set's members without one are dropped as they are seen. */
export async function listWorkers(redis: Redis, keys: ClusterKeys): Promise<WorkerPresence[]> {
  const ids = await redis.zrange(keys.workers, 0, -1);
  if (ids.length === 0) return [];
  const values = await redis.mget(ids.map((id) => keys.worker(id)));
  const gone = ids.filter((_, i) => values[i] === null);
  if (gone.length > 0) await redis.zrem(keys.workers, ...gone);
  return values.flatMap((value) => (value === null ? [] : [JSON.parse(value) as WorkerPresence]));
}

export async function poolHasWorker(redis: Redis, keys: ClusterKeys, pool: string): Promise<boolean> {
  return (await listWorkers(redis, keys)).some((worker) => worker.pools.includes(pool));
}

/** Pools with tasks waiting and no worker: `[{ pool: 'gpu', waiting: 2 }]`. */
export async function poolsWithoutWorker(redis: Redis, keys: ClusterKeys): Promise<{ pool: string; waiting: number }[]> {
  const [pools, workers] = await Promise.all([redis.smembers(keys.pools), listWorkers(redis, keys)]);
  const served = new Set(workers.flatMap((worker) => worker.pools));
  const lonely = pools.filter((pool) => !served.has(pool)).sort();
  const counts = await Promise.all(lonely.map((pool) => redis.llen(keys.waitList(pool))));
  return lonely.map((pool, i) => ({ pool, waiting: counts[i] ?? 0 })).filter((entry) => entry.waiting > 0);
}
