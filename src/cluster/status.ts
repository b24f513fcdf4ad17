/** What `flow status` shows of the cluster: the workers alive, and pools with tasks waiting but no worker. */
import { checkRedis, openRedis } from './connection.js';
import { clusterKeys } from './keys.js';
import { listWorkers, poolsWithoutWorker, type WorkerPresence } from './presence.js';
import type { ClusterSettings } from './settings.js';

export interface ClusterStatus {
  workers: WorkerPresence[];
  /** Pools with tasks waiting and no worker to take them. */
  waiting: { pool: string; waiting: number }[];
}

export async function readClusterStatus(settings: ClusterSettings): Promise<ClusterStatus> {
  await checkRedis(settings);
  const redis = await openRedis(settings, 'status', () => undefined);
  try {
    const keys = clusterKeys(settings.prefix);
    const [workers, waiting] = await Promise.all([listWorkers(redis, keys), poolsWithoutWorker(redis, keys)]);
    return { workers: workers.sort((a, b) => a.id.localeCompare(b.id)), waiting };
  } finally {
    redis.disconnect();
  }
}
