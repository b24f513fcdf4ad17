/**
 * `flow pause <pipeline>` / `flow unpause <pipeline>`: kept in FLOW_HOME, so they hold across daemon restarts and
 * work with no daemon. Through the daemon when one runs: on unpause it runs what `catchup` says of the instants
 * missed while paused. With no daemon, the file is changed here, and the next daemon sees it.
 */
import { ApiClient, NoDaemonError } from '../../api/client.js';
import type { PauseView } from '../../api/deps.js';
import { setPaused } from '../../control/paused.js';
import { loadPipeline } from '../../pipeline/load.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { isoWithOffset } from '../../util/time.js';
import { writeLine, type Io } from '../ui.js';

export interface PauseFlags {
  dir?: string;
  json?: boolean;
}

export async function pauseCommand(ref: string, paused: boolean, flags: PauseFlags, io: Io): Promise<number> {
  const home = flowHome(io.env);
  const client = new ApiClient(home);
  let view: PauseView;
  let was: boolean | undefined;
  try {
    view = await client.call<PauseView>('POST', `/pipelines/${encodeURIComponent(ref)}/${paused ? 'pause' : 'unpause'}`);
  } catch (error) {
    if (!(error instanceof NoDaemonError)) throw error;
    const pipeline = await loadPipeline(await resolvePipelineFile(ref, pipelinesDir(flags.dir, io.env)));
    const change = await setPaused(home, pipeline.name, paused, new Date(), (message) => writeLine(io.stderr, `flow: warning: ${message}`));
    was = change.was;
    view = { pipeline: pipeline.name, paused, paused_at: paused && change.pausedAt !== undefined ? isoWithOffset(change.pausedAt) : null, catchup: [] };
  }
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(view, null, 2));
    return 0;
  }
  if (paused) {
    writeLine(io.stdout, `${view.pipeline} is paused${view.paused_at === null ? '' : ` (since ${view.paused_at})`}: its scheduled instants are recorded as skipped until \`flow unpause ${view.pipeline}\``);
  } else {
    const caught = view.catchup.length === 0 ? '' : `; running ${view.catchup.length} missed instant(s) as catchup says: ${view.catchup.join(', ')}`;
    writeLine(io.stdout, `${view.pipeline} is ${was === false ? 'not paused' : 'unpaused'}${caught}`);
  }
  return 0;
}
