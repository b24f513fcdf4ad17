/**
 * The cluster's history for commands that read it (`flow history`, `flow show`, `flow logs`): in cluster mode they
 * read Redis, where every scheduler host's runs are, instead of this host's FLOW_HOME. Redis that cannot be used is
 * refused in one line, as the daemon refuses it.
 */
import { checkRedis, loadRedis } from '../cluster/connection.js';
import { interruptDeadCommands } from '../cluster/history/dead-commands.js';
import { ClusterHistory } from '../cluster/history/read.js';
import { loadGlobalConfig } from '../config/global.js';
import type { Io } from './ui.js';

/** Calls `read` with the cluster's history and closes the connection after; undefined when cluster mode is off. */
export async function withClusterHistory<T>(io: Io, read: (history: ClusterHistory) => Promise<T>): Promise<{ value: T } | undefined> {
  const settings = (await loadGlobalConfig(io.env)).cluster;
  if (settings === undefined) return undefined;
  await checkRedis(settings);
  const RedisClient = await loadRedis();
  // A reader gives up soon: a command waiting forever on a Redis that went away helps nobody.
  const redis = new RedisClient(settings.url, { maxRetriesPerRequest: 2, retryStrategy: (times) => (times > 3 ? null : 200) });
  redis.on('error', () => undefined);
  try {
    const history = new ClusterHistory(redis, settings.prefix);
    // This host's commands that died leave their runs running: marked here, before anything is read.
    await interruptDeadCommands(history, settings).catch(() => undefined);
    return { value: await read(history) };
  } finally {
    redis.disconnect();
  }
}
