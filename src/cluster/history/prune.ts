/**
 * Retention for the history in Redis, as for run files: a pipeline keeps its newest `keepRuns` runs and none older
 * than `keepDays` days; a run still running is never removed. A run goes with its log tails.
 */
import type { Redis } from 'ioredis';
import type { Retention } from '../../store/retention.js';
import { runMember, type HistoryKeys } from './keys.js';

export async function pruneRuns(redis: Redis, keys: HistoryKeys, pipeline: string, retention: Retention, now = Date.now()): Promise<number> {
  const set = keys.pipelineRuns(pipeline);
  const total = await redis.zcard(set);
  const beyond = Math.max(0, total - retention.keepRuns);
  const oldest = now - retention.keepDays * 86_400_000;
  const old = await redis.zrangebyscore(set, '-inf', `(${oldest}`);
  const extra = beyond > 0 ? await redis.zrange(set, 0, beyond - 1) : [];
  const candidates = [...new Set([...old, ...extra])];
  if (candidates.length === 0) return 0;
  const running = await redis.hmget(keys.running, ...candidates.map((id) => runMember(pipeline, id)));
  const removed = candidates.filter((_id, at) => running[at] === null);
  if (removed.length === 0) return 0;
  const multi = redis.multi();
  for (const id of removed) {
    multi.del(keys.run(pipeline, id), keys.logs(pipeline, id)).zrem(set, id).zrem(keys.runs, runMember(pipeline, id));
  }
  await multi.exec();
  return removed.length;
}
