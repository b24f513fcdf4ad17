/**
 * What `flow run` says before it runs a pipeline that the daemon also handles: that it is paused (it still runs: an
 * explicit ask), or that the daemon is running it right now although its overlap policy would not start a second.
 */
import type { PipelineView } from '../api/deps.js';
import { readPaused } from '../control/paused.js';
import { readDaemonStatus } from '../daemon/status-file.js';
import { lockHolder } from '../store/lock.js';
import { flowHome } from '../util/paths.js';
import type { Pipeline } from '../pipeline/types.js';
import { join } from 'node:path';
import { colorsFor, writeLine, type Io } from './ui.js';

export async function warnings(pipeline: Pipeline, io: Io): Promise<void> {
  const home = flowHome(io.env);
  const color = colorsFor(io.stderr, io.env);
  const say = (text: string): void => writeLine(io.stderr, color.yellow(`flow: ${text}`));
  if (readPaused(home).has(pipeline.name)) say(`${pipeline.name} is paused; running it anyway, as asked (its schedule stays paused)`);
  if (pipeline.overlap === 'allow') return;
  const holder = lockHolder(join(home, 'daemon.lock'));
  if (holder === null) return;
  const live = await daemonRuns(home, pipeline.name, holder.pid);
  if (live > 0) say(`the daemon is running ${pipeline.name} now (${live} run${live === 1 ? '' : 's'}); with overlap: ${pipeline.overlap} it would not start another, but this run goes ahead too`);
}

/** How many runs of the pipeline the daemon has now: asked of it, else read from its status file (a second old at most). */
async function daemonRuns(home: string, name: string, pid: number): Promise<number> {
  try {
    // The HTTP client only when a daemon holds its lock: most runs have none to ask.
    const { ApiClient } = await import('../api/client.js');
    return (await new ApiClient(home).call<PipelineView>('GET', `/pipelines/${encodeURIComponent(name)}`)).active_runs;
  } catch {
    const status = await readDaemonStatus(home);
    return status?.pid === pid ? status.runs_in_flight.filter((run) => run.pipeline === name).length : 0;
  }
}
