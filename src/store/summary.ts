/** A run without its tasks: what the index keeps, and what `flow history` lists. */
import type { RunRecord } from './record.js';

export type RunSummary = Omit<RunRecord, 'tasks'> & { failed_tasks: string[] };

export function summarize(record: RunRecord): RunSummary {
  const { tasks, ...rest } = record;
  return { ...rest, failed_tasks: tasks.filter((task) => task.status === 'failed').map((task) => task.id) };
}
