/**
 * Cluster mode's settings: the `cluster:` key of the config file, `FLOW_REDIS_URL` over its `redis:`. Absent both,
 * flow runs every task itself and never loads a Redis client.
 *
 * The timings are what BullMQ and the workers use; their defaults suit production, and tests shorten them through
 * FLOW_CLUSTER_LOCK_MS and FLOW_CLUSTER_HEARTBEAT_MS so a lost lock or a dead worker shows in seconds.
 */
import { FlowError } from '../errors.js';
import type { Env } from '../util/paths.js';

export const DEFAULT_PREFIX = 'flow';
export const PREFIX_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface ClusterSettings {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). */
  url: string;
  /** Every key flow writes starts with `<prefix>:`, so several clusters can share one Redis. */
  prefix: string;
  /** How long a worker's lock on a job lasts without renewal (BullMQ's lockDuration). */
  lockMs: number;
  /** How often a worker renews its presence and checks its locks. */
  heartbeatMs: number;
}

export interface ClusterConfig {
  redis?: string | undefined;
  prefix?: string | undefined;
}

/** Why `url` cannot name a Redis server, or undefined when it can. */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'expected a URL such as redis://host:6379';
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return `expected redis:// or rediss://, got ${parsed.protocol}//`;
  if (parsed.hostname === '') return 'the URL names no host';
  return undefined;
}

/** The URL as it may be shown: a password becomes `***`. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}

/** The cluster settings in force, or undefined when cluster mode is off. */
export function clusterSettings(config: ClusterConfig | undefined, env: Env): ClusterSettings | undefined {
  const fromEnv = env.FLOW_REDIS_URL?.trim();
  const url = fromEnv || config?.redis;
  if (url === undefined || url === '') return undefined;
  if (fromEnv) {
    const problem = redisUrlProblem(fromEnv);
    if (problem !== undefined) throw new FlowError('E_USAGE', `FLOW_REDIS_URL: ${problem}`, { hint: 'unset it to use the config file\'s cluster.redis' });
  }
  return {
    url,
    prefix: config?.prefix ?? DEFAULT_PREFIX,
    lockMs: positive(env.FLOW_CLUSTER_LOCK_MS, 30_000),
    heartbeatMs: positive(env.FLOW_CLUSTER_HEARTBEAT_MS, 5_000),
  };
}

function positive(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}
