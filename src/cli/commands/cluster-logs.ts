/**
 * `flow logs` in cluster mode: the output kept in Redis for each attempt (its last 64 KiB), for a run, a pipeline's
 * latest run, or one task (with --run or --pipeline). Each line of a run's tasks is prefixed with the task id, as
 * for local runs. Following (-f) reads this host's files instead (see logs.ts).
 */
import { FlowError } from '../../errors.js';
import type { ClusterHistory } from '../../cluster/history/read.js';
import { looksLikeRunId } from '../../store/find-run.js';
import type { RunRecord, TaskRecord } from '../../store/record.js';
import { writeLine, type Io } from '../ui.js';
import type { LogsFlags } from './logs.js';

export async function clusterLogs(history: ClusterHistory, ref: string, flags: LogsFlags, io: Io): Promise<number> {
  const oneTask = flags.pipeline !== undefined || flags.run !== undefined;
  const run = await runOf(history, oneTask ? (flags.run ?? flags.pipeline ?? ref) : ref);
  const tasks = oneTask ? [taskOf(run, ref)] : run.tasks.filter((task) => task.attempts.length > 0);
  const width = Math.max(0, ...tasks.map((task) => task.id.length));
  const lines: { task: string; attempt: number; lines: string[] }[] = [];
  for (const task of tasks) {
    const attempt = flags.attempt ?? task.attempts.at(-1)?.attempt;
    if (attempt === undefined) throw new FlowError('E_NOT_FOUND', `task "${task.id}" of run ${run.id} did not run (${task.status}), so it has no log`);
    const text = (await history.log(run.pipeline, run.id, task.id, attempt)) ?? '';
    const all = text.split('\n');
    if (all.at(-1) === '') all.pop();
    lines.push({ task: task.id, attempt, lines: flags.tail === undefined ? all : all.slice(-flags.tail) });
  }
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify({ pipeline: run.pipeline, run: run.id, status: run.status, tasks: lines }, null, 2));
    return 0;
  }
  for (const entry of lines) {
    const prefix = tasks.length === 1 ? '' : `${entry.task.padEnd(width)} | `;
    for (const line of entry.lines) writeLine(io.stdout, prefix + line);
  }
  return 0;
}

async function runOf(history: ClusterHistory, ref: string): Promise<RunRecord> {
  return looksLikeRunId(ref) ? history.find(ref) : history.latest(ref);
}

function taskOf(run: RunRecord, id: string): TaskRecord {
  const task = run.tasks.find((entry) => entry.id === id);
  if (task === undefined) throw new FlowError('E_TASK_NOT_FOUND', `run ${run.id} of ${run.pipeline} has no task "${id}"`, { hint: `its tasks: ${run.tasks.map((entry) => entry.id).join(', ')}` });
  return task;
}
