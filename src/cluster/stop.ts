/**
 * Asking a worker to end an attempt: a key it checks at each heartbeat (it survives a reconnect) and a message on
 * the stop channel so it acts at once. `stop` is SIGTERM to the task's group then SIGKILL after its kill grace, as
 * a local stop; `kill` is SIGKILL now.
 */
import type { ClusterSession } from './session.js';

export type StopMode = 'stop' | 'kill';

export async function requestStop(session: Pick<ClusterSession, 'redis' | 'keys' | 'settings'>, jobId: string, mode: StopMode): Promise<void> {
  const { redis, keys, settings } = session;
  await redis
    .multi()
    .set(keys.attemptStop(jobId), mode, 'PX', Math.max(settings.lockMs, settings.heartbeatMs) * 4)
    .publish(keys.stopChannel, JSON.stringify({ job: jobId, mode }))
    .exec();
}
