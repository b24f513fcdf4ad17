/** `flow status`'s cluster lines: each worker (host, pools, running tasks, last heartbeat), then pools nobody serves. */
import type { ChalkInstance } from 'chalk';
import type { ClusterStatus } from '../../cluster/status.js';
import { formatDuration } from '../../util/duration.js';

export function clusterStatusLines(status: ClusterStatus, color: ChalkInstance, now = Date.now()): string[] {
  const lines = [`cluster: ${status.workers.length} worker(s)`];
  for (const worker of status.workers) {
    const ago = formatDuration(Math.max(0, now - Date.parse(worker.heartbeat)));
    lines.push(`  ${worker.id} on ${worker.host}: pools ${worker.pools.join(', ')}, ${worker.running.length}/${worker.concurrency} running, last heartbeat ${ago} ago`);
    for (const task of worker.running) lines.push(`    ${task.pipeline} ${task.run} ${task.task} attempt ${task.attempt} since ${task.since}`);
  }
  for (const entry of status.waiting) lines.push(color.yellow(`  no worker for pool ${entry.pool} (${entry.waiting} task(s) waiting)`));
  return lines;
}
