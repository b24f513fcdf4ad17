/**
 * Telling a live process from a dead one whose pid was reused. A process is named by its pid, its start time (clock
 * ticks since boot, field 22 of /proc/<pid>/stat, see proc(5)) and the boot it started in.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessId {
  host: string;
  pid: number;
  /** Start time in clock ticks since boot; null where /proc is not available. */
  start: number | null;
  boot: string | null;
}

export function startTimeOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return null;
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}

let bootId: string | null | undefined;
export function currentBoot(): string | null {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = null;
    }
  }
  return bootId;
}

let self: ProcessId | undefined;
export function selfId(): ProcessId {
  self ??= { host: hostname(), pid: process.pid, start: startTimeOf(process.pid), boot: currentBoot() };
  return self;
}

export type Liveness = 'alive' | 'dead' | 'unknown';

/** Whether the process named by `id` still runs. Another host's process cannot be checked from here. */
export function liveness(id: ProcessId): Liveness {
  if (id.host !== hostname()) return 'unknown';
  if (id.boot !== null && currentBoot() !== null && id.boot !== currentBoot()) return 'dead';
  try {
    process.kill(id.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? checkStart(id) : 'dead';
  }
  return checkStart(id);
}

function checkStart(id: ProcessId): Liveness {
  const start = startTimeOf(id.pid);
  if (start === null) return existsAsZombieOrGone(id.pid);
  if (id.start === null) return 'alive';
  return start === id.start ? 'alive' : 'dead';
}

function existsAsZombieOrGone(pid: number): Liveness {
  try {
    readFileSync(`/proc/${pid}/stat`, 'utf8');
    return 'dead'; // a zombie: exited, waiting to be reaped
  } catch {
    return 'dead';
  }
}

/**
 * Whether a process group still has a member that is not a zombie. kill(-pgid, 0) alone also counts zombies, which
 * linger where nothing reaps orphans promptly, and would make every stop wait out its whole grace period.
 */
export function groupHasLiveMembers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

/**
 * Whether a process carries `NAME=value` in its environment (/proc/<pid>/environ, readable only for one's own
 * processes, or by root): a forged record cannot make flow signal a process that flow did not start.
 */
export function environHas(pid: number, entry: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
  } catch {
    return false;
  }
}

/** Live (not zombie) members of a process group. */
export function groupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return members;
}
