/** Waiting, from another process, for a run to end: its record is read until its status is no longer `running`. */
import { FlowError } from '../errors.js';
import type { RunStatus } from '../engine/events.js';
import type { HistoryStore } from '../store/history.js';
import type { RunRecord } from '../store/record.js';
import type { RunRef } from '../store/run-files.js';

const POLL_MS = 150;
/** A run just triggered may take a moment to be on disk. */
const APPEAR_MS = 30_000;

export async function waitForEnd(store: HistoryStore, ref: RunRef, timeoutMs = Infinity): Promise<RunRecord> {
  const started = Date.now();
  for (;;) {
    const record = await store.readRun(ref);
    if (record !== undefined && record.status !== 'running') return record;
    if (record === undefined && Date.now() - started > APPEAR_MS) throw new FlowError('E_RUN_NOT_FOUND', `run ${ref.id} of ${ref.pipeline} was not recorded`);
    if (Date.now() - started > timeoutMs) throw new FlowError('E_LOCKED', `run ${ref.id} of ${ref.pipeline} is still running after ${Math.round(timeoutMs / 1000)}s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The exit code a run's status gives, as `flow run` exits: 0 success, 1 failed, 130 cancelled or interrupted. */
export function runExitCode(status: RunStatus): number {
  if (status === 'success' || status === 'skipped') return 0;
  if (status === 'cancelled' || status === 'interrupted') return 130;
  return 1;
}
