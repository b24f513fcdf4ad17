/**
 * Where flow keeps things. FLOW_HOME (history, logs, locks) and the pipelines directory, each overridable, with the
 * XDG locations as defaults and system-wide ones for root (a system daemon).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function flowHome(env: Env = process.env): string {
  if (env.FLOW_HOME) return env.FLOW_HOME;
  if (isRoot() && !env.XDG_STATE_HOME) return '/var/lib/flow';
  return join(env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state'), 'flow');
}

export function pipelinesDir(explicit: string | undefined, env: Env = process.env): string {
  if (explicit) return explicit;
  if (env.FLOW_PIPELINES) return env.FLOW_PIPELINES;
  if (isRoot() && !env.XDG_CONFIG_HOME) return '/etc/flow/pipelines';
  return join(configDir(env), 'pipelines');
}

export function configDir(env: Env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'flow');
}
