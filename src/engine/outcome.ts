/**
 * Every failure sentence in one place, one prefix per reason: `exit code 3`, `timed out after 30s`,
 * `killed by SIGKILL`, `command not found`. Hooks, the summary and history all use these words.
 */
import { formatDuration } from '../util/duration.js';
import type { AttemptOutcome } from './events.js';

/** True for an attempt that succeeded, including a short-circuit task whose command said no. */
export function succeeded(outcome: AttemptOutcome): boolean {
  const said = outcome.exitCode === 0 || outcome.shortCircuit !== undefined;
  return said && outcome.skip === undefined && !outcome.timedOut && !outcome.cancelled && outcome.error === undefined && outcome.interrupted === undefined;
}

/** One line: why an attempt failed (undefined when it did not, or when it ends the task skipped). */
export function describeOutcome(outcome: AttemptOutcome, timeoutMs?: number): string | undefined {
  if (succeeded(outcome) || (outcome.skip !== undefined && outcome.error === undefined)) return undefined;
  if (outcome.interrupted !== undefined) return `interrupted: ${outcome.interrupted}`;
  if (outcome.timedOut) return timeoutMs === undefined ? 'timed out' : `timed out after ${formatDuration(timeoutMs)}`;
  if (outcome.cancelled) return 'cancelled';
  if (outcome.error !== undefined) return outcome.error;
  // A task may exit 127 or 126 itself; only the shell's own complaint makes it "not found" (src/engine/shell-said.ts).
  if (outcome.exitCode === 127 && outcome.shell === 'not-found') return 'command not found (exit code 127)';
  if (outcome.exitCode === 126 && outcome.shell === 'not-executable') return 'command not executable (exit code 126)';
  if (outcome.signal !== undefined) return `killed by ${outcome.signal}`;
  return `exit code ${String(outcome.exitCode)}`;
}

/** `Task "load" timed out after 30s: ./load.sh` */
export function failureHeadline(task: string, reason: string, command: string | undefined): string {
  const verb = /^(timed out|killed|cancelled)/.test(reason) ? reason : `failed: ${reason}`;
  return command === undefined ? `Task "${task}" ${verb}` : `Task "${task}" ${verb}: ${command}`;
}
