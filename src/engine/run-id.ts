/** Run ids sort by start time and stay unique across processes: `20261122T184301.123Z-k3x9q2`. */
import { randomBytes } from 'node:crypto';

export function newRunId(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '');
  const suffix = BigInt(`0x${randomBytes(5).toString('hex')}`).toString(36).padStart(8, '0').slice(-6);
  return `${stamp}-${suffix}`;
}

export const RUN_ID = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-z]{6}$/;
