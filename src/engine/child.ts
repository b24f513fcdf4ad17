/**
 * What every child flow starts through execa has in common, whether flow starts it itself (process.ts) or its
 * spawner does (spawner/server.ts): its own session and process group (flow ends the whole tree), nothing
 * buffered, no rejection (the exit is judged by flow), no cleanup or kill of execa's own (flow's watchdog and stop
 * do that); and how its end is told.
 */
import type { Result } from 'execa';

export const CHILD_OPTIONS = {
  extendEnv: false,
  detached: true,
  reject: false,
  cleanup: false,
  forceKillAfterDelay: false,
  buffer: false,
  stripFinalNewline: false,
} as const;

export interface ChildResult {
  exitCode: number | undefined;
  signal: string | undefined;
  /** It could not start, or its end was not learnt: why, in a line. */
  error?: string | undefined;
}

/** How an execa child ended: its exit code or signal, or why it could not start. */
export function resultOf(result: Result): ChildResult {
  const failed = result.failed && result.exitCode === undefined && result.signal === undefined;
  return { exitCode: result.exitCode, signal: result.signal, error: failed ? (result.originalMessage ?? result.shortMessage ?? 'could not start') : undefined };
}
