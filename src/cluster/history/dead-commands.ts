/**
 * A reader's share of recovery: `flow history`, `show` and `logs` on a host mark the runs of this host's commands
 * (`flow run`, …) that died without ending them, so a cluster with no active scheduler (commands from cron) does not
 * show them running forever. Only where it is sure: the owner is on this host, its process is gone, and its
 * liveness key has expired. Attempts still running on workers are ended, as the active scheduler ends them.
 */
import { hostname } from 'node:os';
import { attemptJobId, clusterKeys } from '../keys.js';
import type { ClusterSettings } from '../settings.js';
import { requestStop } from '../stop.js';
import { markInterrupted } from './interrupt.js';
import { commandDied, ownerCommand } from './owner.js';
import type { ClusterHistory } from './read.js';

export async function interruptDeadCommands(history: ClusterHistory, settings: ClusterSettings, now = new Date()): Promise<void> {
  const here = hostname();
  const mine = (await history.running()).filter((run) => ownerCommand(run.owner) !== undefined && run.owner.split('/')[0] === here && !processAlive(Number(run.owner.split('/')[1])));
  for (const run of mine) {
    if ((await history.redis.exists(history.keys.alive(run.owner))) === 1) continue;
    const record = await history.get(run.pipeline, run.id);
    if (record?.status !== 'running') {
      await history.forget(run.pipeline, run.id);
      continue;
    }
    const open = record.tasks.filter((task) => task.status === 'running').flatMap((task) => task.attempts.filter((attempt) => attempt.ended_at === null).map((attempt) => attemptJobId(record.pipeline, record.id, task.id, attempt.attempt)));
    markInterrupted(record, commandDied(run.owner), now);
    await history.replace(record);
    const session = { redis: history.redis, keys: clusterKeys(settings.prefix), settings };
    for (const job of open) await requestStop(session, job, 'kill');
  }
}

/** Whether a process with this pid exists here (EPERM: it does, as another user's). */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
