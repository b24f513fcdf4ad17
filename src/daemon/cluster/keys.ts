/** The scheduler's keys in Redis, all under the cluster's prefix, beside the workers' (`<prefix>:flow:…`). */
export function schedulerKeys(prefix: string) {
  const own = `${prefix}:flow:scheduler`;
  return {
    /** The lease: who is the active scheduler (value: holder id), with an expiry. */
    lease: `${own}:lease`,
    /** One per live scheduler process, active or standby, with an expiry: whose runs have an owner. */
    alive: (holder: string) => `${own}:alive:${holder}`,
    /** Per pipeline, the last instant handled (epoch ms): where a scheduler that takes over catches up from. */
    lastInstant: `${own}:last-instant`,
    /** A scheduled instant's claim (value: the run id): set once, by the one scheduler that runs it. */
    claim: (pipeline: string, instant: Date) => `${own}:claim:${pipeline}:${instant.getTime()}`,
  };
}

export type SchedulerKeys = ReturnType<typeof schedulerKeys>;

/** `host/pid/random`: unique per process, and says where it runs. */
export function holderHost(holder: string): string {
  return holder.split('/')[0] ?? holder;
}
