/**
 * What commands that run or read pipelines share: the global config and the history store under FLOW_HOME, with
 * warnings as one line on stderr; and the one line a failed hook gets on stderr.
 */
import { loadGlobalConfig } from '../config/global.js';
import type { FlowEvent, HookResult } from '../engine/events.js';
import type { RunServices } from '../runs/execute.js';
import { HistoryStore } from '../store/history.js';
import { flowHome } from '../util/paths.js';
import { writeLine, type Io } from './ui.js';

/**
 * `write: false` for commands that only read history: they work on a read-only or full FLOW_HOME. `cluster: true`
 * for commands that run tasks: in cluster mode their attempts go to the pools' workers (src/cluster), and Redis is
 * checked first (one line and exit 2 when it cannot be used), and their runs are written to the cluster's history in
 * Redis too, owned by this process (`command`, the command's name, says so).
 */
export async function openServices(io: Io, options: { write?: boolean; cluster?: boolean; command?: string } = {}): Promise<RunServices> {
  const config = await loadGlobalConfig(io.env);
  const store = await HistoryStore.open(flowHome(io.env), {
    warn: (message) => writeLine(io.stderr, `flow: warning: ${message}`),
    retention: config.retention,
    write: options.write ?? true,
  });
  if (options.cluster !== true || config.cluster === undefined) return { store, config, env: io.env };
  const { openCluster } = await import('../cluster/session.js');
  const { remoteRunner } = await import('../cluster/remote-runner.js');
  const warn = (line: string): void => writeLine(io.stderr, `flow: ${line}`);
  const session = await openCluster(config.cluster, 'run', warn);
  const runner = remoteRunner(session);
  // The daemon sets its own history (its runs are its lease holder's); a command's runs are owned by its process.
  if (options.command === undefined) return { store, config, env: io.env, runner };
  const { commandHistory } = await import('../cluster/history/owner.js');
  const { DEFAULT_LEASE_MS, timingsOf } = await import('../daemon/cluster/scheduler.js');
  const ttlMs = timingsOf(io.env).leaseMs ?? DEFAULT_LEASE_MS;
  const history = await commandHistory(session.redis, { prefix: config.cluster.prefix, command: options.command, ttlMs, retention: config.retention, warn });
  return { store, config, env: io.env, runner, history };
}

export function hookFailures(io: Io): (event: FlowEvent) => void {
  return (event) => {
    if (event.kind !== 'hook-finished' || event.hook.error === null) return;
    writeLine(io.stderr, `flow: ${hookName(event.hook)} failed: ${event.hook.error}`);
  };
}

/** `hook on_failure of task "load"`, `hook on_failure of the pipeline`, `global hook on_failure` */
export function hookName(hook: HookResult): string {
  if (hook.source === 'global') return `global hook ${hook.event}`;
  return hook.source === 'task' ? `hook ${hook.event} of task "${hook.task ?? ''}"` : `hook ${hook.event} of the pipeline`;
}
