/**
 * Connections to Redis. At start, one check that refuses in one line (unreachable, wrong password, a server too
 * old); once running, clients reconnect forever and say so in the log, since a scheduler or worker that gives up
 * on a restarting Redis would need a person to bring it back.
 *
 * ioredis is imported lazily: a command outside cluster mode never loads it.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { FlowError } from '../errors.js';
import { displayUrl, type ClusterSettings } from './settings.js';

/**
 * BullMQ's own floor is 5.0, but it warns below 6.2 and relies on commands of 6.2 for some features; Debian and
 * every maintained distribution ship 6.2 or newer.
 */
export const MIN_REDIS_VERSION = '6.2.0';
/** How long the start-time check waits for an answer. */
const CHECK_TIMEOUT_MS = 10_000;

export type LogLine = (line: string) => void;

export interface RedisFacts {
  version: string;
  /** Warnings about the server's settings (eviction, persistence): the cluster works but may lose data. */
  warnings: string[];
}

/**
 * Options for a long-lived client. maxRetriesPerRequest must be null for BullMQ (a blocked command must wait
 * through a reconnect, not fail); the retry strategy never gives up, backing off to 5 s between tries.
 */
export function redisOptions(name: string): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: `flow-${name}`,
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
  };
}

/**
 * ioredis's client class, loaded on first use. The bundle turns the CommonJS package into a module whose only
 * export is `default` (the exports object), where Node gives named exports too: both are read.
 */
export async function loadRedis(): Promise<typeof Redis> {
  const module = await import('ioredis');
  return module.Redis ?? (module.default as unknown as { Redis: typeof Redis }).Redis;
}

/** Connects once, without retrying, and checks the server; refuses with one line naming the URL and the error. */
export async function checkRedis(settings: ClusterSettings): Promise<RedisFacts> {
  const RedisClient = await loadRedis();
  const client = new RedisClient(settings.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: CHECK_TIMEOUT_MS,
    commandTimeout: CHECK_TIMEOUT_MS,
    enableReadyCheck: false,
  });
  // A refused AUTH closes the connection: the command then fails only with "connection closed"; the event said why.
  let said: Error | undefined;
  client.on('error', (error: Error) => (said ??= error));
  try {
    await client.connect();
    const server = await client.info('server');
    const version = /^redis_version:(\S+)/m.exec(server)?.[1] ?? '0';
    if (compareVersions(version, MIN_REDIS_VERSION) < 0) {
      throw new Error(`Redis ${version} is too old; flow needs ${MIN_REDIS_VERSION} or newer`);
    }
    return { version, warnings: settingWarnings(await client.info('memory'), await client.info('persistence')) };
  } catch (error) {
    throw refusal(settings, said !== undefined && /closed|writeable/i.test(String(error)) ? said : error);
  } finally {
    client.disconnect();
  }
}

/** One line for a Redis that cannot be used: `cannot use Redis at redis://…: connect ECONNREFUSED 127.0.0.1:6379`. */
export function refusal(settings: ClusterSettings, error: unknown): FlowError {
  const message = error instanceof Error ? error.message : String(error);
  const hint = /WRONGPASS|NOAUTH|invalid password/i.test(message)
    ? 'the password goes in the URL: redis://:PASSWORD@host:6379 (or redis://USER:PASSWORD@host:6379 with an ACL user)'
    : 'set cluster.redis in the config file or FLOW_REDIS_URL';
  return new FlowError('E_REDIS', `cannot use Redis at ${displayUrl(settings.url)}: ${message.split('\n')[0] ?? message}`, { hint, cause: error });
}

/**
 * A long-lived client that reconnects forever. `log` hears each loss and each return once (not every failed try),
 * so a Redis down for an hour leaves two lines, not thousands.
 */
export async function openRedis(settings: ClusterSettings, name: string, log: LogLine): Promise<Redis> {
  const RedisClient = await loadRedis();
  const client = new RedisClient(settings.url, redisOptions(name));
  let lost = false;
  let why: string | undefined;
  // 'error' may come before or after the reconnect (a clean close by the server gives none): the loss is logged
  // when the reconnecting starts, with the error when there was one.
  client.on('error', (error: Error) => (why ??= error.message));
  client.on('reconnecting', () => {
    if (lost) return;
    lost = true;
    log(`redis: lost ${displayUrl(settings.url)} (${why ?? 'connection closed'}); reconnecting until it answers`);
  });
  client.on('ready', () => {
    why = undefined;
    if (!lost) return;
    lost = false;
    log(`redis: connected again to ${displayUrl(settings.url)}`);
  });
  return client;
}

/** -1, 0 or 1 as dotted version `a` is older than, the same as, or newer than `b`. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** What INFO says about settings that lose jobs: eviction of keys, and no persistence at all. */
export function settingWarnings(memory: string, persistence: string): string[] {
  const warnings: string[] = [];
  const policy = /^maxmemory_policy:(\S+)/m.exec(memory)?.[1];
  if (policy !== undefined && policy !== 'noeviction') {
    warnings.push(`Redis's maxmemory-policy is ${policy}: it may evict queued tasks; set maxmemory-policy noeviction`);
  }
  if (/^aof_enabled:0/m.test(persistence)) {
    warnings.push('Redis runs without AOF: a restart of Redis can lose queued tasks and history; set appendonly yes');
  }
  return warnings;
}
