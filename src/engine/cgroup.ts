/**
 * Attempts in their own cgroup, where one is delegated to flow. A process group does not hold a task that calls
 * setsid, and the watchdog (watchdog.ts) finds descendants only by the FLOW_RUNNER token in their environment, which
 * `env -i` clears; a cgroup holds every descendant, whatever it does, and `cgroup.kill` ends them all at once.
 *
 * flow uses cgroups only when told a cgroup v2 directory is its own: FLOW_CGROUP=auto (the cgroup flow runs in, as
 * a systemd unit with `Delegate=yes` gets — the generated unit sets both) or FLOW_CGROUP=<directory>. Writing into a
 * cgroup that is not delegated would fight whoever manages it. Each runner makes `flow-<pid>.<start>/` there and
 * each attempt `<n>/` inside it; the task starts through `sh`, which moves itself into its cgroup before it execs
 * the task, so no descendant is ever outside it. Runners that died leave directories that the next command which
 * opens history ends with `cgroup.kill` and removes. Anything that fails here falls back to process groups and the
 * watchdog, as without FLOW_CGROUP.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveness, selfId } from '../util/proc.js';

let base: string | null | undefined;
let runnerDir: string | null | undefined;
let seq = 0;

/** The cgroup v2 directory delegated to flow, or null. Read once per process from FLOW_CGROUP. */
export function delegatedCgroup(setting: string | undefined = process.env.FLOW_CGROUP): string | null {
  if (base !== undefined) return base;
  base = null;
  if (setting === undefined || setting === '' || setting === 'off') return base;
  const dir = setting === 'auto' ? ownCgroup() : setting;
  if (dir === null) return base;
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(join(dir, 'cgroup.kill')) || existsSync(join(dir, 'cgroup.procs'))) base = dir;
  } catch {
    // not there, or not ours: process groups and the watchdog it is
  }
  return base;
}

/** The directory of the cgroup v2 this process runs in: the unified mount (mountinfo) plus the `0::` path. */
function ownCgroup(): string | null {
  try {
    const path = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    if (path === undefined) return null;
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [left, right] = line.split(' - ');
      const fields = left?.split(' ') ?? [];
      if (!right?.startsWith('cgroup2 ') || fields[3] === undefined || fields[4] === undefined) continue;
      const root = fields[3];
      if (path !== root && !path.startsWith(root === '/' ? '/' : `${root}/`)) continue;
      return join(fields[4], path.slice(root === '/' ? 0 : root.length));
    }
  } catch {
    // no /proc
  }
  return null;
}

function runnerName(): string {
  const self = selfId();
  return `flow-${self.pid}.${self.start ?? 0}`;
}

/** A new, empty cgroup for one attempt, or undefined where flow has none. */
export function newAttemptCgroup(): string | undefined {
  const root = delegatedCgroup();
  if (root === null) return undefined;
  try {
    if (runnerDir === undefined) {
      runnerDir = join(root, runnerName());
      if (!existsSync(runnerDir)) mkdirSync(runnerDir);
    }
    if (runnerDir === null) return undefined;
    const dir = join(runnerDir, String(++seq));
    mkdirSync(dir);
    return dir;
  } catch {
    runnerDir = null;
    return undefined;
  }
}

/** The command that starts `file args` inside `cgroup`: sh moves itself there, then execs it (same pid, same group). */
export function inCgroup(cgroup: string, file: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: '/bin/sh', args: ['-c', '{ echo $$ > "$0/cgroup.procs"; } 2>/dev/null; exec "$@"', cgroup, file, ...args] };
}

/** Whether any process is still in the cgroup (cgroup.events, `populated 1`). */
export function populated(cgroup: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(cgroup, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Sends `signal` to every process in the cgroup (SIGTERM first, as to a process group). */
export function signalCgroup(cgroup: string, signal: NodeJS.Signals): void {
  let pids: string[];
  try {
    pids = readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').split('\n').filter((pid) => pid !== '');
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      process.kill(Number(pid), signal);
    } catch {
      // gone meanwhile
    }
  }
}

/** SIGKILL to everything in the cgroup at once (cgroup.kill, Linux 5.14; older kernels: each process). */
export function killCgroup(cgroup: string): void {
  try {
    writeFileSync(join(cgroup, 'cgroup.kill'), '1');
  } catch {
    signalCgroup(cgroup, 'SIGKILL');
  }
}

/** Removes an attempt's cgroup once it is empty; one that is not yet empty is left for the runner's end. */
export function removeCgroup(cgroup: string): void {
  try {
    rmdirSync(cgroup);
  } catch {
    // still populated, or gone
  }
}

/** Ends and removes the cgroups of runners that no longer exist (a runner killed together with its watchdog). */
export function endDeadRunnersCgroups(): void {
  const root = delegatedCgroup();
  if (root === null) return;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names) {
    const match = /^flow-(\d+)\.(\d+)$/.exec(name);
    if (match === null) continue;
    const runner = { host: selfId().host, pid: Number(match[1]), start: Number(match[2]) === 0 ? null : Number(match[2]), boot: null };
    if (name === runnerName() || liveness(runner) !== 'dead') continue;
    const dir = join(root, name);
    let attempts: string[] = [];
    try {
      attempts = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(dir, entry.name));
    } catch {
      continue;
    }
    for (const attempt of attempts) killCgroup(attempt);
    for (const attempt of attempts) removeWhenEmpty(attempt);
    removeWhenEmpty(dir);
  }
}

/** rmdir, retried briefly: processes killed by cgroup.kill leave the cgroup a moment later. */
function removeWhenEmpty(dir: string): void {
  for (let tries = 0; tries < 200; tries++) {
    try {
      rmdirSync(dir);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY') return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/** For the watchdog: where this runner's attempt cgroups go (made with the first of them), if flow has a cgroup. */
export function runnerCgroupDir(): string | undefined {
  const root = delegatedCgroup();
  return root === null ? undefined : join(root, runnerName());
}
