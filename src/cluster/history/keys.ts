/**
 * Where a cluster keeps its run history in Redis, under `<prefix>:flow:history:`. A run is one JSON string (the same
 * record as a run file); sorted sets by start time list them, newest first, for all pipelines and per pipeline; a
 * hash holds the runs still running and which scheduler owns each; a hash per run holds its attempts' log tails.
 */
export interface HistoryKeys {
  run(pipeline: string, id: string): string;
  /** Every run, scored by its start (epoch ms), member `<pipeline>/<run id>`. */
  runs: string;
  /** One pipeline's runs, scored by start, member the run id. */
  pipelineRuns(pipeline: string): string;
  /** `<pipeline>/<run id>` → the owner (a scheduler's holder id) of each run still running. */
  running: string;
  /** `<task>.<attempt>` → the tail of that attempt's output. */
  logs(pipeline: string, id: string): string;
  /** A command's liveness key (owner.ts), with an expiry: while it is there, the command's runs have an owner. */
  alive(owner: string): string;
}

export function historyKeys(prefix: string): HistoryKeys {
  const own = `${prefix}:flow:history`;
  return {
    run: (pipeline, id) => `${own}:run:${pipeline}:${id}`,
    runs: `${own}:runs`,
    pipelineRuns: (pipeline) => `${own}:runs:${pipeline}`,
    running: `${own}:running`,
    logs: (pipeline, id) => `${own}:logs:${pipeline}:${id}`,
    alive: (owner) => `${own}:alive:${owner}`,
  };
}

/** How much of an attempt's output is kept in Redis: its end, where the reason for a failure is. */
export const LOG_TAIL_BYTES = 64 * 1024;

export function runMember(pipeline: string, id: string): string {
  return `${pipeline}/${id}`;
}

export function parseMember(member: string): { pipeline: string; id: string } {
  const at = member.lastIndexOf('/');
  return { pipeline: member.slice(0, at), id: member.slice(at + 1) };
}
