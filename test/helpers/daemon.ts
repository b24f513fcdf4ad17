/** Driving `flow daemon` in tests: start it on a fixture, wait for log lines, read its runs. */
import { readFileSync } from 'node:fs';
import type { Fixture, Running } from './flow.js';

export interface RunJson {
  id: string;
  pipeline: string;
  trigger: string;
  logical_date: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  reason?: string;
  tasks: { id: string; status: string; attempts: { started_at: string; ended_at: string | null; log: string }[] }[];
}

export function startDaemon(f: Fixture, args: string[] = [], options: { env?: Record<string, string> } = {}): Running {
  return f.start(['daemon', '--dir', f.path('pipelines'), ...args], options);
}

export async function runsOf(f: Fixture, pipeline?: string): Promise<RunJson[]> {
  const result = await f.flow(['history', ...(pipeline === undefined ? [] : [pipeline]), '--json', '--limit', '1000']);
  return (JSON.parse(result.stdout) as RunJson[]).reverse();
}

export function daemonLog(f: Fixture): string {
  try {
    return readFileSync(f.path('.flow-home', 'daemon.log'), 'utf8');
  } catch {
    return '';
  }
}

/** Lines of stdout matching a pattern. */
export function count(text: string, pattern: RegExp): number {
  return text.split('\n').filter((line) => pattern.test(line)).length;
}

export async function stopDaemon(daemon: Running): Promise<number | null> {
  daemon.signal('SIGTERM');
  return (await daemon.exited).code;
}
