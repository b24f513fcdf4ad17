/**
 * A scheduled instant is run once in the whole cluster: its run has an id made of pipeline and instant, and the
 * scheduler claims it (SET NX) in the same script that checks it holds the lease. A second scheduler, or the same
 * one firing again after a restart of Redis, finds the claim taken and starts nothing. A lease found free (it
 * expired while Redis was away, and nobody took it since) is taken by the claim: nobody else is active.
 */
import type { Redis } from 'ioredis';
import { scheduledRunId } from '../../engine/run-id.js';
import type { SchedulerKeys } from './keys.js';

const CLAIM = `local holder = redis.call('GET', KEYS[1])
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
elseif holder ~= ARGV[1] then return -1 end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 1 end
return 0`;

export type Claim = { kind: 'claimed'; runId: string } | { kind: 'taken'; runId: string } | { kind: 'not-leader' };

export interface ClaimOptions {
  holder: string;
  /** How long a claim is kept (as long as runs are). */
  keepMs: number;
  /** The lease's time to live, for a lease the claim takes. */
  leaseMs: number;
}

export async function claimInstant(redis: Redis, keys: SchedulerKeys, options: ClaimOptions, pipeline: string, instant: Date): Promise<Claim> {
  const runId = scheduledRunId(pipeline, instant);
  const answer = (await redis.eval(CLAIM, 2, keys.lease, keys.claim(pipeline, instant), options.holder, runId, String(options.keepMs), String(options.leaseMs))) as number;
  if (answer === 1) return { kind: 'claimed', runId };
  if (answer === 0) return { kind: 'taken', runId };
  return { kind: 'not-leader' };
}
