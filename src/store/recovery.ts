/**
 * Crash recovery, run by every command that opens the store: a run still marked `running` whose owner no longer
 * exists (pid, start time and boot id checked, so a reused pid is never taken for the owner) becomes `interrupted`,
 * with its running tasks; task process groups of it that are still alive are ended. The watchdog normally ends
 * them first (engine/watchdog.ts); this is the record's half, and the fallback when the watchdog could not run.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { signalGroup } from '../engine/signal-group.js';
import { endDeadRunnersCgroups } from '../engine/cgroup.js';
import { runLogDir } from './layout.js';
import { environHas, groupMembers, liveness, startTimeOf } from '../util/proc.js';
import { upsert } from './index-file.js';
import type { HistoryStore } from './history.js';
import { isoTime, type RunRecord } from './record.js';
import { clearOutcome, readOutcome } from './reserve.js';
import type { RunStatus } from '../engine/events.js';
import { summarize, type RunSummary } from './summary.js';

export async function recoverDeadRuns(store: HistoryStore): Promise<void> {
  // What runners killed together with their watchdogs left in their cgroups (where flow has cgroups) ends first.
  endDeadRunnersCgroups();
  const index = await store.index();
  const dead = index.runs.filter((run) => run.status === 'running' && ownerIsDead(run));
  if (dead.length === 0) return;
  const recovered: RunSummary[] = [];
  await store.changeIndex((data) => {
    recovered.length = 0;
    for (const run of data.runs) if (run.status === 'running' && ownerIsDead(run)) recovered.push(run);
  });
  for (const summary of recovered) {
    const { failed_tasks: _failed, ...header } = summary;
    const record = (await store.readRun(summary)) ?? { ...header, tasks: [], hooks: [] };
    // A runner that met a full disk at the end noted how its run ended in a file name (see reserve.ts).
    const noted = readOutcome(store.layout, record.pipeline, record.id);
    if (record.status !== 'running' && noted === undefined) {
      // Finished after all: the owner recorded its end (in its file, or its journal) but died before telling the index.
      await store.writeRun(record);
      await store.indexRun(summarize(record));
      continue;
    }
    if (record.status === 'running') {
      await endOrphans(record);
      await addUnrecordedAttempts(record, runLogDir(store.layout, record.pipeline, record.id));
      if (noted === undefined) markInterrupted(record, store.now());
      else markEnded(record, noted.status, noted.at);
    }
    // The journal may hold the run's end already; either way the whole record is written now, and the journal goes.
    await store.writeRun(record);
    await store.changeIndex((data) => upsert(data, summarize(record)));
    clearOutcome(store.layout, record.pipeline, record.id);
    store.warn(
      noted === undefined
        ? `run ${record.id} of ${record.pipeline} was left running by pid ${record.pid}, which is gone; marked it interrupted`
        : `run ${record.id} of ${record.pipeline} ended ${noted.status} when the disk was full; recorded it now`,
    );
  }
}

function ownerIsDead(run: Pick<RunSummary, 'host' | 'pid' | 'pid_start' | 'boot_id'>): boolean {
  return liveness({ host: run.host, pid: run.pid, start: run.pid_start, boot: run.boot_id }) === 'dead';
}

/**
 * Ends the process groups of attempts that never finished, where they still exist and are provably ours. What the
 * record says is not trusted (anyone who could write it could name any process): a group is signalled only when its
 * leader, if alive, has the recorded start time, and every live member of the group carries the run owner's
 * FLOW_RUNNER token in its environment.
 */
async function endOrphans(record: RunRecord): Promise<void> {
  const token = `FLOW_RUNNER=${record.pid}.${record.pid_start ?? 0}`;
  const signalled: number[] = [];
  for (const task of record.tasks) {
    for (const attempt of task.attempts) {
      if (attempt.ended_at !== null || attempt.pid === null || !Number.isSafeInteger(attempt.pid) || attempt.pid <= 1) continue;
      if (!groupIsOurs(attempt.pid, attempt.pid_start, token)) continue;
      if (signalGroup(attempt.pid, 'SIGTERM')) signalled.push(attempt.pid);
    }
  }
  if (signalled.length === 0) return;
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const pgid of signalled) signalGroup(pgid, 'SIGKILL');
}

function groupIsOurs(pgid: number, recordedStart: number | null, token: string): boolean {
  const leaderStart = startTimeOf(pgid);
  if (leaderStart !== null && (recordedStart === null || leaderStart !== recordedStart)) return false;
  const members = groupMembers(pgid);
  return members.length > 0 && members.every((pid) => environHas(pid, token));
}

/**
 * An attempt's log file is created before its process starts, and its record is written moments later: a runner
 * killed in between leaves a log file that the record does not mention. Those attempts did start; say so.
 */
async function addUnrecordedAttempts(record: RunRecord, logDir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(logDir);
  } catch {
    return;
  }
  for (const task of record.tasks) {
    for (const name of names) {
      const match = new RegExp(`^${escape(task.id)}\\.(\\d+)\\.log$`).exec(name);
      const number = Number(match?.[1]);
      if (match === null || task.attempts.some((attempt) => attempt.attempt === number)) continue;
      const info = await stat(join(logDir, name));
      const started = info.birthtimeMs > 0 ? info.birthtime : info.mtime;
      task.attempts.push({ attempt: number, started_at: isoTime(started), ended_at: null, exit_code: null, signal: null, timed_out: false, log: join(logDir, name), pid: null, pid_start: null, error: null });
      task.attempts.sort((a, b) => a.attempt - b.attempt);
      task.status = 'running';
    }
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The run ended as its runner noted, but its last task changes were never written: those tasks say why. */
function markEnded(record: RunRecord, status: RunStatus, at: Date): void {
  const when = isoTime(at);
  const reason = 'no space left on device: its final state was not recorded';
  for (const task of record.tasks) {
    if (task.status === 'running') {
      task.status = status === 'success' ? 'success' : 'failed';
      task.reason = reason;
      for (const attempt of task.attempts) {
        if (attempt.ended_at !== null) continue;
        attempt.ended_at = when;
        if (status !== 'success') attempt.error = reason;
      }
    } else if (task.status === 'pending') {
      task.status = status === 'success' ? 'success' : 'cancelled';
      task.reason = reason;
    }
  }
  record.status = status;
  record.ended_at = when;
  record.duration_ms = at.getTime() - Date.parse(record.started_at);
}

function markInterrupted(record: RunRecord, now: Date): void {
  const at = isoTime(now);
  for (const task of record.tasks) {
    if (task.status === 'running') {
      task.status = 'interrupted';
      task.reason = 'its runner died';
      for (const attempt of task.attempts) {
        if (attempt.ended_at !== null) continue;
        attempt.ended_at = at;
        attempt.error = 'interrupted: its runner died';
      }
    } else if (task.status === 'pending') {
      task.status = 'cancelled';
      task.reason = 'its runner died before it started';
    }
  }
  record.status = 'interrupted';
  record.ended_at = at;
  record.duration_ms = now.getTime() - Date.parse(record.started_at);
}
