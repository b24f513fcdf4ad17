/** `flow graph <pipeline>`: the DAG as Mermaid or DOT; with `--run`, coloured by that run's (or the latest run's) task states. */
import { FlowError } from '../../errors.js';
import type { TaskStatus } from '../../engine/events.js';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../engine/graph-text.js';
import { planRun } from '../../engine/plan.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import { loadPipeline } from '../../pipeline/load.js';
import { findRun } from '../../store/find-run.js';
import { pipelinesDir } from '../../util/paths.js';
import { latestRunOf } from '../run-target.js';
import { openStore } from '../store.js';
import type { Io } from '../ui.js';

export interface GraphFlags {
  dir?: string;
  format?: string;
  /** A run id (or prefix), or true for the latest run. */
  run?: string | boolean;
  json?: boolean;
}

export async function graphCommand(ref: string, flags: GraphFlags, io: Io): Promise<number> {
  const format = (flags.format ?? 'mermaid') as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw new FlowError('E_USAGE', `--format: expected one of ${GRAPH_FORMATS.join(', ')}, got "${flags.format ?? ''}"`);
  const dir = pipelinesDir(flags.dir, io.env);
  const pipeline = await loadPipeline(await resolvePipelineFile(ref, dir));
  const plan = planRun(pipeline);
  let states: Map<string, TaskStatus> | undefined;
  if (flags.run !== undefined && flags.run !== false) {
    const store = await openStore(io);
    const run = flags.run === true ? await latestRunOf(store, pipeline.name, dir) : await findRun(store, flags.run);
    if (run.pipeline !== pipeline.name) throw new FlowError('E_RUN_NOT_FOUND', `run ${run.id} is a run of ${run.pipeline}, not of ${pipeline.name}`);
    states = new Map(run.tasks.map((task) => [task.id, task.status]));
  }
  if (flags.json) {
    const tasks = plan.tasks.map((task) => ({ id: task.id, depends_on: task.depends_on, ...(states === undefined ? {} : { status: states.get(task.id) ?? null }) }));
    io.stdout.write(`${JSON.stringify({ pipeline: pipeline.name, tasks }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(renderGraph(plan, format, states));
  return 0;
}
