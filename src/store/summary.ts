/** A run without its tasks: what the index keeps, and what `flow history` lists. */
import type { RunRecord } from './record.js';
import { check } from './check.js';
import { runRecordShape } from './shapes.js';

export type RunSummary = Omit<RunRecord, 'tasks'> & { failed_tasks: string[] };

export function summarize(record: RunRecord): RunSummary {
  const { tasks, ...rest } = record;
  return { ...rest, failed_tasks: tasks.filter((task) => task.status === 'failed').map((task) => task.id) };
}

/**
 * A run known only from its index entry (its file was lost or set aside): its tasks are those known to have failed.
 * Undefined when the entry does not make a whole record (the index checks entries only lightly).
 */
export function fromSummary(summary: RunSummary | undefined): RunRecord | undefined {
  if (summary === undefined) return undefined;
  const { failed_tasks: failed, ...rest } = summary;
  const record = { ...rest, tasks: failed.map((id) => ({ id, status: 'failed', reason: null, attempts: [] })) };
  return check(runRecordShape, record).success ? (record as RunRecord) : undefined;
}
