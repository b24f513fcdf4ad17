/** Run ids sort by start time and stay unique across processes: `20261122T184301.123Z-k3x9q2`. */
import { createHash, randomBytes } from 'node:crypto';

export function newRunId(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '');
  const suffix = BigInt(`0x${randomBytes(5).toString('hex')}`).toString(36).padStart(8, '0').slice(-6);
  return `${stamp}-${suffix}`;
}

export const RUN_ID = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-z]{6}$/;

/**
 * The id of a scheduled instant's run in a cluster: the same on every scheduler (pipeline + instant), so a second
 * scheduler that fires the same instant names the same run and its claim is a no-op. It keeps the shape above (the
 * instant as the stamp), so it sorts and ages like any other id.
 */
export function scheduledRunId(pipeline: string, instant: Date): string {
  const stamp = instant.toISOString().replace(/[-:]/g, '');
  const digest = createHash('sha256').update(`${pipeline}\n${instant.toISOString()}`).digest();
  const suffix = BigInt(`0x${digest.subarray(0, 5).toString('hex')}`).toString(36).padStart(8, '0').slice(-6);
  return `${stamp}-${suffix}`;
}
