/**
 * The scheduler's Redis connection, until the shared cluster connection module takes its place: the URL from
 * FLOW_REDIS_URL, commands queued while it reconnects (so a claim made during a restart of Redis goes through
 * once it is back), and a refusal at start naming the URL.
 */
import { Redis } from 'ioredis';
import { FlowError } from '../../errors.js';

export interface ClusterSettings {
  url: string;
  prefix: string;
}

export function clusterSettings(env: NodeJS.ProcessEnv): ClusterSettings | undefined {
  const url = env.FLOW_REDIS_URL;
  if (url === undefined || url === '') return undefined;
  return { url, prefix: env.FLOW_REDIS_PREFIX ?? 'flow' };
}

export async function connectScheduler(settings: ClusterSettings, onState: (message: string) => void): Promise<Redis> {
  const redis = new Redis(settings.url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new FlowError('E_USAGE', `cannot reach Redis at ${settings.url}: ${(error as Error).message}`, { hint: 'start Redis, or correct FLOW_REDIS_URL' });
  }
  let down = false;
  redis.on('close', () => {
    if (down) return;
    down = true;
    onState(`lost the connection to Redis at ${settings.url}; retrying`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    onState(`reconnected to Redis at ${settings.url}`);
  });
  return redis;
}
