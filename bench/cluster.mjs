// The cluster section (`node bench/run.mjs cluster`): figures for flow on Redis. The standby scheduler's takeover
// time is in cluster-takeover.mjs.
import { takeoverBench } from './cluster-takeover.mjs';

export async function clusterBench(context) {
  await takeoverBench(context);
}
