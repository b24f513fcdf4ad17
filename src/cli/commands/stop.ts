/**
 * `flow stop <run-id | pipeline>`: ends a run (or every running run of a pipeline) as a timeout does, recorded
 * `cancelled`. Through the daemon when one runs (it ends its own runs, and signals the owner of any other); with no
 * daemon, the owner process of the run is sent SIGTERM directly. Then waits for the run's record to say it ended.
 */
import { ApiClient, NoDaemonError } from '../../api/client.js';
import type { StopResult } from '../../api/deps.js';
import { stopPipeline, stopRun } from '../../control/stop.js';
import { looksLikeRunId } from '../../store/find-run.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { paintStatus } from '../render/status.js';
import { openStore } from '../store.js';
import { colorsFor, writeLine, type Io } from '../ui.js';
import { waitForEnd } from '../wait-run.js';
import type { HistoryStore } from '../../store/history.js';
import type { RunRecord } from '../../store/record.js';

export interface StopFlags {
  dir?: string;
  wait?: boolean;
  json?: boolean;
}

export async function stopCommand(ref: string, flags: StopFlags, io: Io): Promise<number> {
  const store = await openStore(io);
  const client = new ApiClient(flowHome(io.env));
  const results = looksLikeRunId(ref) ? [await viaDaemon(client, ref, () => stopRun(store, ref))] : await stopAll(store, client, ref, pipelinesDir(flags.dir, io.env));
  const ended: RunRecord[] = [];
  if (flags.wait !== false) for (const result of results) ended.push(await waitForEnd(store, { pipeline: result.pipeline, id: result.run_id }));
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(results.map((result, index) => ({ ...result, status: ended[index]?.status ?? 'running' })), null, 2));
    return 0;
  }
  const color = colorsFor(io.stdout, io.env);
  results.forEach((result, index) => {
    const record = ended[index];
    const by = result.how === 'aborted' ? 'the daemon ended it' : `sent SIGTERM to its owner, pid ${result.pid}`;
    writeLine(io.stdout, `run ${result.run_id} of ${result.pipeline}: ${record === undefined ? `stopping (${by})` : `${paintStatus(record.status, color)} (${by})`}`);
  });
  return 0;
}

async function stopAll(store: HistoryStore, client: ApiClient, pipeline: string, dir: string): Promise<StopResult[]> {
  const running = await store.list({ pipeline, status: 'running', limit: 1000 });
  if (running.length === 0) {
    // An unknown name is a typo more often than a pipeline that has never run: say so, with the nearest name.
    if ((await store.summariesOf(pipeline)).length === 0) await resolvePipelineFile(pipeline, dir);
    return stopPipeline(store, pipeline);
  }
  const results: StopResult[] = [];
  for (const run of running) results.push(await viaDaemon(client, run.id, () => stopRun(store, run.id)));
  return results;
}

async function viaDaemon(client: ApiClient, runRef: string, local: () => Promise<StopResult>): Promise<StopResult> {
  try {
    return await client.call<StopResult>('POST', `/runs/${encodeURIComponent(runRef)}/stop`);
  } catch (error) {
    if (error instanceof NoDaemonError) return local();
    throw error;
  }
}
