/**
 * `flow stop`: ends a running run as a timeout does (its tasks' process groups get SIGTERM, then SIGKILL after
 * their kill_grace) and it is recorded `cancelled`. The run's owner does it: the daemon for its own runs (through
 * the API), or, for a run of a foreground `flow run`, that process, which is sent SIGTERM and records the cancel.
 */
import { join } from 'node:path';
import { FlowError } from '../errors.js';
import type { StopResult } from '../api/deps.js';
import { findRun } from '../store/find-run.js';
import type { HistoryStore } from '../store/history.js';
import { lockHolder } from '../store/lock.js';
import type { RunRecord } from '../store/record.js';
import { liveness } from '../util/proc.js';

/** Ends the run if this process owns it; false when it does not. */
export type LocalStop = (runId: string) => boolean;

export async function stopRun(store: HistoryStore, ref: string, local: LocalStop = () => false): Promise<StopResult> {
  return stopRecord(await findRun(store, ref), store.layout.home, local);
}

/** The running runs of a pipeline, each stopped. */
export async function stopPipeline(store: HistoryStore, pipeline: string, local: LocalStop = () => false): Promise<StopResult[]> {
  const running = await store.list({ pipeline, status: 'running', limit: 1000 });
  if (running.length === 0) throw new FlowError('E_RUN_ENDED', `no run of ${pipeline} is running`, { hint: `see its runs with \`flow history ${pipeline}\`` });
  const results: StopResult[] = [];
  for (const run of running) results.push(stopRecord(run, store.layout.home, local));
  return results;
}

function stopRecord(run: RunRecord, home: string, local: LocalStop): StopResult {
  if (run.status !== 'running') {
    throw new FlowError('E_RUN_ENDED', `run ${run.id} of ${run.pipeline} already ended: ${run.status}${run.ended_at === null ? '' : ` at ${run.ended_at}`}`);
  }
  if (local(run.id)) return { run_id: run.id, pipeline: run.pipeline, how: 'aborted', pid: process.pid };
  const owner = { host: run.host, pid: run.pid, start: run.pid_start, boot: run.boot_id };
  const state = liveness(owner);
  if (state === 'unknown') throw new FlowError('E_LOCKED', `run ${run.id} runs on ${run.host}, not on this machine`, { hint: `stop it there: flow stop ${run.id}` });
  if (state === 'dead') {
    throw new FlowError('E_RUN_ENDED', `run ${run.id} of ${run.pipeline} has no live owner (pid ${run.pid} is gone)`, { hint: 'the next flow command records it interrupted' });
  }
  const daemon = lockHolder(join(home, 'daemon.lock'));
  if (daemon !== null && daemon.pid === run.pid) {
    // Its owner is the daemon, and the daemon did not take the request: a SIGTERM would stop every run it has.
    throw new FlowError('E_NO_DAEMON', `run ${run.id} belongs to the daemon (pid ${run.pid}), which does not answer on its socket`, {
      hint: 'check the daemon with `flow status` and its log (daemon.log in FLOW_HOME)',
    });
  }
  try {
    process.kill(run.pid, 'SIGTERM');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') throw new FlowError('E_RUN_ENDED', `run ${run.id} of ${run.pipeline} has no live owner (pid ${run.pid} is gone)`);
    throw new FlowError('E_LOCKED', `not allowed to signal pid ${run.pid}, which owns run ${run.id}`, { hint: 'a run of another user is stopped by that user or root', cause: error });
  }
  return { run_id: run.id, pipeline: run.pipeline, how: 'signalled', pid: run.pid };
}
