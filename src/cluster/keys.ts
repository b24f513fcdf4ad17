/**
 * Every name flow gives a thing in Redis, in one place, all under the configured prefix so that several clusters
 * (or a test per directory) can share one server.
 *
 * BullMQ's own keys are `<prefix>:<queue>:…` (its `prefix` option); flow's are `<prefix>:flow:…`, which no queue
 * name can produce since queue names here start with `pool.`.
 */
export interface ClusterKeys {
  /** BullMQ's `prefix` option. */
  bullPrefix: string;
  /** The BullMQ queue of a pool (queue names may not contain `:`). */
  queue(pool: string): string;
  /** The stream of an attempt's output and its end, written by the worker, read by the scheduler. */
  attemptStream(jobId: string): string;
  /** Set by the scheduler to stop (or kill) an attempt; read by its worker. */
  attemptStop(jobId: string): string;
  /** Pub/sub channel that carries stop requests at once (the key above survives a worker's reconnect). */
  stopChannel: string;
  /** Hash per worker: host, pools, running tasks, last heartbeat; expires when the worker stops renewing it. */
  worker(id: string): string;
  /** Sorted set of worker ids by last heartbeat (ms), to list them without SCAN. */
  workers: string;
  /** Set of the pools tasks were ever put on, so `flow status` can name one that has no worker. */
  pools: string;
  /** BullMQ's lock key of a job (its value is the holder's token). */
  jobLock(pool: string, jobId: string): string;
  /** BullMQ's list of a pool's waiting jobs. */
  waitList(pool: string): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  const own = `${prefix}:flow`;
  return {
    bullPrefix: prefix,
    queue: (pool) => `pool.${pool}`,
    attemptStream: (jobId) => `${own}:attempt:${jobId}:out`,
    attemptStop: (jobId) => `${own}:attempt:${jobId}:stop`,
    stopChannel: `${own}:stop`,
    worker: (id) => `${own}:worker:${id}`,
    workers: `${own}:workers`,
    pools: `${own}:pools`,
    jobLock: (pool, jobId) => `${prefix}:pool.${pool}:${jobId}:lock`,
    waitList: (pool) => `${prefix}:pool.${pool}:wait`,
  };
}

/**
 * The job id of one attempt: the same (run, task, attempt) always gives the same id, so a second enqueue of it
 * (a scheduler taking over, a repeat after a reconnect) is a no-op in BullMQ. Pipeline names, run ids and task ids
 * never hold `/` (src/pipeline/names.ts), and BullMQ refuses `:` in custom ids.
 */
export function attemptJobId(pipeline: string, runId: string, task: string, attempt: number): string {
  return `${pipeline}/${runId}/${task}/${attempt}`;
}
