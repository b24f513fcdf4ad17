/**
 * Cluster mode in tests: the environment that points flow at a test's redis-server with short timings, and
 * workers started as their own processes with their own FLOW_HOME (as on separate hosts).
 */
import type { Fixture, Running } from './flow.js';
import type { RedisServer } from './redis.js';

/** The job lock (and so the time to notice a dead worker) and the heartbeat, short enough for tests. */
export const TEST_LOCK_MS = 2_000;
export const TEST_HEARTBEAT_MS = 300;

export function clusterEnv(redis: RedisServer, more: Record<string, string> = {}): Record<string, string> {
  return { FLOW_REDIS_URL: redis.url, FLOW_CLUSTER_LOCK_MS: String(TEST_LOCK_MS), FLOW_CLUSTER_HEARTBEAT_MS: String(TEST_HEARTBEAT_MS), ...more };
}

/** `flow worker ARGS` with FLOW_HOME `<fixture>/<name>`, once it takes tasks. */
export async function startWorker(f: Fixture, redis: RedisServer, name: string, args: string[] = []): Promise<Running> {
  const worker = f.start(['worker', ...args], { env: clusterEnv(redis, { FLOW_HOME: f.path(name) }) });
  await worker.waitFor(`worker ${name} to take tasks`, (out) => /takes tasks of pool/.test(out.stdout));
  return worker;
}

/** The worker's id as it logs it (`worker HOST-PID takes tasks …`). */
export function workerId(worker: Running): string {
  return /worker (\S+) takes tasks/.exec(worker.stdout)?.[1] ?? '';
}
