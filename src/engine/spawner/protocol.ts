/**
 * What flow's process and its spawner (server.ts) say to each other, one JSON object per line: flow asks for a
 * child, the spawner answers once when it has started (or could not start) and once when it has ended.
 */

/** A child to start: a command with its environment, its output going to flow's own open descriptors. */
export interface SpawnRequest {
  id: number;
  file: string;
  args: readonly string[];
  argv0?: string | undefined;
  cwd: string;
  /**
   * The child's environment as it differs from the spawner's own (which is flow's as it was when flow started the
   * spawner): what to set, and what to leave out. Most of a task's environment is flow's, sent once.
   */
  env: { set: Record<string, string>; unset: string[] };
  /** Descriptors open in flow's process (the attempt's log): the spawner opens the same files through /proc. */
  outputFd: number;
  errorFd: number;
  uid?: number | undefined;
  gid?: number | undefined;
}

/**
 * The spawner's answers: `started` (pid undefined: nothing started, and why), then `ended` for a child that
 * started; or `refused` when it could not take the request at all (flow then starts the child itself).
 */
export type SpawnReply =
  | { id: number; refused: string }
  | { id: number; started: true; pid: number | undefined; error?: string | undefined }
  | { id: number; ended: true; exitCode: number | undefined; signal: string | undefined; error?: string | undefined };

/** The first line the spawner writes: it is ready to take requests. */
export const READY = 'ready';

/** The single executable starts itself as a spawner with this as its only argument (src/sea.ts). */
export const SPAWNER_ARGUMENT = '__flow-spawner';
