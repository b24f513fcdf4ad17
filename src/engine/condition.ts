/**
 * `when:`, a task's shell condition (Dagu's preconditions), run before each attempt with the task's shell,
 * environment, working directory and log: exit 0 runs the task; any other exit code ends it `skipped`, its output
 * kept in the log. It obeys the task's `timeout`: a condition that hangs is ended as the task would be, and the
 * attempt times out.
 */
import { writeSync } from 'node:fs';
import type { Task } from '../pipeline/types.js';
import type { AttemptOutcome } from './events.js';
import { spawnInGroup } from './process.js';
import type { RunAs } from './run-as.js';

export interface ConditionRequest {
  task: Task & { when: string };
  env: Record<string, string>;
  outputFd: number;
  signal: AbortSignal | undefined;
  force: AbortSignal | undefined;
  runAs: RunAs | undefined;
  onSpawn: (pid: number) => void;
  /** Values masked in what the condition prints (mask.ts). */
  secrets?: readonly string[] | undefined;
}

/** Undefined when the task may run; else the attempt's outcome (skipped, timed out, cancelled, or not started). */
export async function checkCondition(request: ConditionRequest): Promise<AttemptOutcome | undefined> {
  const { task, outputFd } = request;
  writeSync(outputFd, `flow: when: ${task.when}\n`);
  const outcome = await spawnInGroup({
    file: task.shell,
    args: ['-c', task.when],
    cwd: task.cwd,
    env: request.env,
    outputFd,
    timeoutMs: task.timeoutMs,
    killGraceMs: task.killGraceMs,
    signal: request.signal,
    force: request.force,
    onSpawn: request.onSpawn,
    runAs: request.runAs,
    secrets: request.secrets,
  });
  if (outcome.exitCode === 0 && !outcome.timedOut && !outcome.cancelled && outcome.error === undefined) return undefined;
  if (outcome.timedOut || outcome.cancelled || outcome.error !== undefined) {
    writeSync(outputFd, `flow: when: the condition ${outcome.timedOut ? 'timed out' : outcome.cancelled ? 'was stopped' : `could not run: ${outcome.error ?? ''}`}\n`);
    return outcome;
  }
  const said = outcome.signal === undefined ? `exit code ${String(outcome.exitCode)}` : `killed by ${outcome.signal}`;
  writeSync(outputFd, `flow: when: the condition said no (${said}): task skipped\n`);
  return { ...outcome, skip: `when: condition said no (${said})` };
}
