/**
 * A run whose owner died, marked as recovery marks a local run whose runner died: running tasks `interrupted` (their
 * open attempts ended with the reason), pending ones `cancelled`, the run `interrupted` with the reason as its note.
 * The active scheduler does it (src/daemon/cluster/adopt.ts), and so does a reader on the dead command's host
 * (dead-commands.ts).
 */
import { isoTime, type RunRecord } from '../../store/record.js';

export function markInterrupted(record: RunRecord, why: string, now: Date): void {
  const at = isoTime(now);
  for (const task of record.tasks) {
    if (task.status === 'running') {
      task.status = 'interrupted';
      task.reason = why;
      for (const attempt of task.attempts) {
        if (attempt.ended_at !== null) continue;
        attempt.ended_at = at;
        attempt.error = `interrupted: ${why}`;
      }
    } else if (task.status === 'pending') {
      task.status = 'cancelled';
      task.reason = `${why} before it started`;
    }
  }
  record.status = 'interrupted';
  record.note = why;
  record.ended_at = at;
  record.duration_ms = now.getTime() - Date.parse(record.started_at);
}
