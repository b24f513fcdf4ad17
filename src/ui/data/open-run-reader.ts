/**
 * The web UI's run reader for this host's settings: the cluster's history when `cluster` is configured (on its own
 * Redis connection, closed with the UI), else this host's store.
 */
import type { ClusterSettings } from '../../cluster/settings.js';
import type { HistoryStore } from '../../store/history.js';
import { localRunReader, type RunReader } from './run-reader.js';

export async function openRunReader(cluster: ClusterSettings | undefined, store: HistoryStore): Promise<RunReader> {
  if (cluster === undefined) return localRunReader(store);
  // Loaded only in cluster mode, as the daemon loads it: a UI without a cluster keeps that memory.
  const [{ loadRedis, redisOptions }, { ClusterHistory }, { clusterRunReader }] = await Promise.all([
    import('../../cluster/connection.js'),
    import('../../cluster/history/read.js'),
    import('./cluster-runs.js'),
  ]);
  const RedisClient = await loadRedis();
  const redis = new RedisClient(cluster.url, { ...redisOptions('ui'), maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  return clusterRunReader(new ClusterHistory(redis, cluster.prefix), store, () => redis.disconnect());
}
