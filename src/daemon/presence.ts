/**
 * Whether anything will run the pipelines of a FLOW_HOME: a daemon that runs now (it holds `daemon.lock`), or a
 * systemd unit that starts `flow daemon` (the one `--print-systemd-unit` prints, installed where systemd looks for
 * units: systemd.unit(5), "Unit File Load Path"). `flow import-crontab --replace` asks before it leaves jobs to
 * flow alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { lockHolder } from '../store/lock.js';
import type { Env } from '../util/paths.js';

export interface DaemonPresence {
  /** The pid of the daemon that runs for this FLOW_HOME now. */
  pid: number | null;
  /** A unit file that starts `flow daemon` for this FLOW_HOME. */
  unit: string | null;
}

/** Where systemd reads system units and, for `systemctl --user`, the user's. */
export function unitDirs(env: Env): string[] {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return [
    join(config, 'systemd', 'user'),
    '/etc/systemd/user',
    '/usr/lib/systemd/user',
    '/etc/systemd/system',
    '/run/systemd/system',
    '/usr/local/lib/systemd/system',
    '/usr/lib/systemd/system',
    '/lib/systemd/system',
  ];
}

export function daemonPresence(home: string, dirs: readonly string[]): DaemonPresence {
  const holder = lockHolder(join(home, 'daemon.lock'));
  return { pid: holder?.pid ?? null, unit: findUnit(home, dirs) ?? null };
}

function findUnit(home: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((name) => name.endsWith('.service'));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(dir, name);
      if (startsFlowDaemon(readText(file), home)) return file;
    }
  }
  return undefined;
}

/** An `ExecStart=` that runs flow's `daemon` command, and no `FLOW_HOME` other than this one. */
export function startsFlowDaemon(unit: string, home: string): boolean {
  const lines = unit.split('\n').map((line) => line.trim());
  const exec = lines.filter((line) => line.startsWith('ExecStart=')).some((line) => /flow\S*"?\s+daemon(\s|$)/.test(line));
  if (!exec) return false;
  const homes = lines.flatMap((line) => {
    const quoted = /"FLOW_HOME=((?:[^"\\]|\\.)*)"/.exec(line);
    if (quoted !== null) return [(quoted[1] ?? '').replace(/\\(.)/g, '$1')];
    const bare = /(?:^|\s|=)FLOW_HOME=(\S+)/.exec(line);
    return bare === null ? [] : [bare[1] ?? ''];
  });
  return homes.every((named) => named === home);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
