// The cluster section (`node bench/run.mjs cluster`): figures for flow on Redis. The per-task overhead of running
// tasks on workers is in cluster-overhead.mjs, the standby scheduler's takeover time in cluster-takeover.mjs.
import { overheadBench } from './cluster-overhead.mjs';
import { takeoverBench } from './cluster-takeover.mjs';

export async function clusterBench(context) {
  await overheadBench(context);
  await takeoverBench(context);
}
