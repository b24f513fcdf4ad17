/**
 * What a command means by `<run-id | pipeline>`: a run id, or a unique prefix of one (which looks like a run id:
 * it starts with the date, `20261122T18…`); else a pipeline's latest run. An unknown name is told apart from a
 * pipeline that has not run yet, with the nearest name.
 */
import { FlowError } from '../errors.js';
import { listPipelineFiles } from '../pipeline/discover.js';
import { nameFromFile } from '../pipeline/normalize.js';
import { findRun, looksLikeRunId } from '../store/find-run.js';
import type { HistoryStore } from '../store/history.js';
import type { RunRecord } from '../store/record.js';
import { pipelinesWithRuns } from '../store/run-files.js';
import { didYouMean } from '../util/suggest.js';

export async function runOrLatest(store: HistoryStore, ref: string, dir: string): Promise<RunRecord> {
  if (looksLikeRunId(ref)) return findRun(store, ref);
  return latestRunOf(store, ref, dir);
}

export async function latestRunOf(store: HistoryStore, pipeline: string, dir: string): Promise<RunRecord> {
  const [latest] = await store.list({ pipeline, limit: 1 });
  if (latest !== undefined) return latest;
  const known = new Set([...(await pipelinesWithRuns(store.layout)), ...(await listPipelineFiles(dir)).map(nameFromFile)]);
  if (known.has(pipeline)) throw new FlowError('E_RUN_NOT_FOUND', `pipeline ${pipeline} has no runs yet`, { hint: `run it with \`flow run ${pipeline}\`` });
  throw new FlowError('E_PIPELINE_NOT_FOUND', `no run or pipeline "${pipeline}"${didYouMean(pipeline, known)}`, {
    hint: known.size > 0 ? `pipelines: ${[...known].sort().join(', ')}; or give a run id (see \`flow history\`)` : 'no runs are recorded yet',
  });
}
