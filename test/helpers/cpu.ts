/**
 * The CPU time a piece of work costs this process, in ms: for tests that guard an algorithm's cost (a search that
 * skips rather than walks, no input that explodes). Unlike wall time it does not grow while the process waits for
 * a CPU on a loaded machine, so a bound on it holds under load. Bounds sit 100 times or more above the measured
 * cost; the figures themselves are measured by `npm run bench` (schedule).
 */
export function cpuMs(work: () => void): number {
  return measured(work).ms;
}

/** What `work` returned, and the CPU time it cost in ms. */
export function measured<T>(work: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** The least CPU time of three tries: a garbage-collector pause shows in one try, an algorithm's cost in all. */
export function bestCpuMs(work: () => void): number {
  return Math.min(cpuMs(work), cpuMs(work), cpuMs(work));
}
