/** `flow status`: whether a daemon runs for this FLOW_HOME, and what it is doing. */
import { join } from 'node:path';
import { readPaused } from '../../control/paused.js';
import { readDaemonStatus } from '../../daemon/status-file.js';
import { lockHolder } from '../../store/lock.js';
import { formatDuration } from '../../util/duration.js';
import { flowHome } from '../../util/paths.js';
import { colorsFor, writeLine, type Io } from '../ui.js';
import { loadGlobalConfig } from '../../config/global.js';
import { FlowError } from '../../errors.js';
import { clusterStatusLines } from '../render/cluster-status.js';
import type { ClusterStatus } from '../../cluster/status.js';

export async function statusCommand(flags: { json?: boolean }, io: Io): Promise<number> {
  const cluster = await clusterStatus(io);
  const code = await daemonStatus(flags, io, cluster === undefined ? {} : { cluster });
  if (cluster !== undefined && !flags.json) clusterStatusLines(cluster, colorsFor(io.stdout, io.env)).forEach((line) => writeLine(io.stdout, line));
  return code;
}

/** In cluster mode, the workers and the pools nobody serves. */
async function clusterStatus(io: Io): Promise<ClusterStatus | undefined> {
  const settings = (await loadGlobalConfig(io.env)).cluster;
  if (settings === undefined) return undefined;
  const { readClusterStatus } = await import('../../cluster/status.js');
  try {
    return await readClusterStatus(settings);
  } catch (error) {
    // The daemon's part is still worth showing: Redis that cannot be used is one line on stderr.
    if (!(error instanceof FlowError)) throw error;
    writeLine(io.stderr, `flow: ${error.message}`);
    return undefined;
  }
}

async function daemonStatus(flags: { json?: boolean }, io: Io, extra: { cluster?: ClusterStatus }): Promise<number> {
  const home = flowHome(io.env);
  const holder = lockHolder(join(home, 'daemon.lock'));
  const status = holder === null ? undefined : await readDaemonStatus(home);
  const running = holder !== null && status !== undefined && status.pid === holder.pid;
  const paused = [...readPaused(home).keys()].sort();
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify({ running: holder !== null, flow_home: home, pid: holder?.pid ?? null, paused, ...(running ? { daemon: status } : {}), ...extra }, null, 2));
    return holder === null ? 1 : 0;
  }
  const color = colorsFor(io.stdout, io.env);
  const pausedLine = paused.length === 0 ? undefined : color.yellow(`  paused: ${paused.join(', ')}`);
  if (holder === null) {
    writeLine(io.stdout, `no daemon runs for FLOW_HOME ${home}`);
    if (pausedLine !== undefined) writeLine(io.stdout, pausedLine);
    return 1;
  }
  if (!running || status === undefined) {
    writeLine(io.stdout, `a daemon runs for FLOW_HOME ${home}: pid ${holder.pid} on ${holder.host} (starting up)`);
    return 0;
  }
  const up = formatDuration(Date.now() - Date.parse(status.started_at));
  const scheduled = status.pipelines.filter((pipeline) => pipeline.next !== null).length;
  writeLine(io.stdout, `${color.green('daemon running')}: pid ${status.pid} on ${status.host}, up ${up}${status.stopping ? color.yellow(' (stopping)') : ''}`);
  if (status.cluster !== undefined) writeLine(io.stdout, `  ${roleLine(status.cluster)}`);
  writeLine(io.stdout, `  ${status.pipelines.length} pipeline(s) loaded from ${status.pipelines_dir}, ${scheduled} scheduled`);
  for (const pipeline of status.pipelines.filter((entry) => entry.error !== null)) {
    writeLine(io.stdout, color.red(`  ${pipeline.name}: ${pipeline.error ?? ''} (its last good version stays scheduled)`));
  }
  for (const broken of status.broken) writeLine(io.stdout, color.red(`  ${broken.error} (not scheduled)`));
  if (pausedLine !== undefined) writeLine(io.stdout, pausedLine);
  writeLine(io.stdout, `  ${status.runs_in_flight.length} run(s) in flight`);
  for (const run of status.runs_in_flight) writeLine(io.stdout, `    ${run.pipeline} ${run.run_id ?? ''} since ${run.started_at}`);
  return 0;
}

/** `scheduler: active (holds the cluster's lease)`, `scheduler: standby; the active scheduler is on db1` */
function roleLine(cluster: { role: 'active' | 'standby'; lease_holder: string | null }): string {
  if (cluster.role === 'active') return `scheduler: active (holds the cluster's lease)`;
  return cluster.lease_holder === null ? 'scheduler: standby; no scheduler holds the lease now' : `scheduler: standby; the active scheduler is on ${cluster.lease_holder}`;
}
