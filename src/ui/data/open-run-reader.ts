/**
 * The web UI's run reader for this host's settings: the cluster's history when `cluster` is configured (on its own
 * Redis connection, closed with the UI), else this host's store.
 */
import type { ClusterSettings } from '../../cluster/settings.js';
import { FlowError } from '../../errors.js';
import type { HistoryStore } from '../../store/history.js';
import { localRunReader, type RunReader } from './run-reader.js';

export async function openRunReader(cluster: ClusterSettings | undefined, store: HistoryStore): Promise<RunReader> {
  if (cluster === undefined) return localRunReader(store);
  // Loaded only in cluster mode, as the daemon loads it: a UI without a cluster keeps that memory.
  const [{ loadRedis, redisOptions, refusal }, { ClusterHistory }, { clusterRunReader }] = await Promise.all([
    import('../../cluster/connection.js'),
    import('../../cluster/history/read.js'),
    import('./cluster-runs.js'),
  ]);
  const RedisClient = await loadRedis();
  const redis = new RedisClient(cluster.url, { ...redisOptions('ui'), maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  const reader = clusterRunReader(new ClusterHistory(redis, cluster.prefix), store, () => redis.disconnect());
  return guarded(reader, (error) => (error instanceof FlowError ? error : refusal(cluster, error)));
}

/**
 * Every read of `reader` failing with a FlowError: a Redis that is away is a page saying so in one sentence (503),
 * not an internal error.
 */
export function guarded(reader: RunReader, explain: (error: unknown) => FlowError): RunReader {
  const rethrow = (error: unknown): never => {
    throw explain(error);
  };
  return {
    ...reader,
    strips: (size, onFilled) => {
      const strips = reader.strips(size, onFilled);
      return { note: (event) => strips.note(event), byPipeline: (pipelines) => strips.byPipeline(pipelines).catch(rethrow) };
    },
    page: (pipeline, options) => reader.page(pipeline, options).catch(rethrow),
    find: (ref) => reader.find(ref).catch(rethrow),
    list: (query) => reader.list(query).catch(rethrow),
    ...(reader.keptLog === undefined ? {} : { keptLog: (run, task, attempt) => (reader.keptLog as NonNullable<RunReader['keptLog']>)(run, task, attempt).catch(rethrow) }),
  };
}
