/**
 * Real file systems for fault tests: a small tmpfs that fills up, and a read-only bind mount. Mounting needs root
 * (CI runs as root); where the kernel refuses, `mountRefused` says why and the test skips with that reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(args: string[]): string | undefined {
  const result = spawnSync(args[0] ?? 'mount', args.slice(1), { encoding: 'utf8' });
  if (result.error !== undefined) return result.error.message;
  return result.status === 0 ? undefined : `${args.join(' ')}: ${(result.stderr || result.stdout).trim() || `exit ${String(result.status)}`}`;
}

let probed: string | null | undefined;

/** Why this machine cannot mount a tmpfs and a read-only bind mount, or null when it can. */
export function mountRefused(): string | null {
  if (probed !== undefined) return probed;
  if (process.getuid?.() !== 0) return (probed = 'mounting file systems needs root');
  const dir = mkdtempSync(join(tmpdir(), 'flow-mount-probe-'));
  try {
    const tmpfs = run(['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    if (tmpfs !== undefined) return (probed = `the kernel refused a tmpfs mount: ${tmpfs}`);
    run(['umount', dir]);
    const bind = run(['mount', '--bind', '-o', 'ro', dir, dir]);
    if (bind !== undefined) return (probed = `the kernel refused a read-only bind mount: ${bind}`);
    run(['umount', dir]);
    return (probed = null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A tmpfs of `bytes` at `dir` (made if needed). */
export function mountTmpfs(dir: string, bytes: number): void {
  mkdirSync(dir, { recursive: true });
  const error = run(['mount', '-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir]);
  if (error !== undefined) throw new Error(error);
}

/** `dir` seen read-only at the same path. */
export function bindReadOnly(dir: string): void {
  const error = run(['mount', '--bind', '-o', 'ro', dir, dir]);
  if (error !== undefined) throw new Error(error);
}

export function unmount(dir: string): void {
  // Lazy: a process of the test that still has a file open there must not keep the mount (and the test) stuck.
  run(['umount', '-l', dir]);
}
