/** `flow run <pipeline>`: run a pipeline now, showing its tasks live, then a summary. */
import { loadPipelineCached } from '../../pipeline/cache.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import { planRun } from '../../engine/plan.js';
import { executeRun } from '../../runs/execute.js';
import type { FlowEvent } from '../../engine/events.js';
import { hookFailures, openServices } from '../services.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { colorsFor, LineBuffer, writeLine, type Io } from '../ui.js';
import { listenForStop } from '../signals.js';
import { LiveView } from '../render/live-view.js';
import { progressLine } from '../render/progress-lines.js';
import { TaskOutput } from '../render/task-output.js';
import { summaryLines } from '../render/summary.js';
import { planLines } from '../render/plan.js';
import { parseDate, zoneOf } from '../../backfill/dates.js';
import { warnings } from '../run-warnings.js';
import { parseParamFlags } from '../params.js';
import { resolveParams } from '../../pipeline/params.js';

export interface RunFlags {
  dir?: string;
  concurrency?: number;
  only?: string[];
  from?: string;
  dryRun?: boolean;
  json?: boolean;
  verbose?: boolean;
  /** `--param NAME=VALUE`, repeated. */
  param?: string[];
  /** The logical date: a day (its midnight in the pipeline's zone) or an ISO 8601 instant. */
  date?: string;
}

export async function runCommand(ref: string, flags: RunFlags, io: Io): Promise<number> {
  const file = await resolvePipelineFile(ref, pipelinesDir(flags.dir, io.env));
  const pipeline = await loadPipelineCached(file, flowHome(io.env));
  const plan = planRun(pipeline, { only: flags.only, from: flags.from, concurrency: flags.concurrency });
  const logicalDate = flags.date === undefined ? undefined : parseDate(flags.date, zoneOf(pipeline), '--date').start;
  const params = parseParamFlags(flags.param);
  // Checked before anything runs, so a wrong value is one line and nothing is recorded.
  resolveParams(pipeline, params);
  const color = colorsFor(io.stdout, io.env);
  if (flags.dryRun) {
    if (flags.json) writeLine(io.stdout, JSON.stringify(plan, null, 2));
    else planLines(plan, color).forEach((line) => writeLine(io.stdout, line));
    return 0;
  }

  const services = await openServices(io, { cluster: true, command: 'run' });
  await warnings(pipeline, io);
  const sinks: ((event: FlowEvent) => void)[] = [hookFailures(io)];
  const live = !flags.json && io.stdout.isTTY === true && io.env.TERM !== 'dumb' ? new LiveView(io.stdout, color) : undefined;
  const plain = new LineBuffer(io.stdout);
  const print = (lines: string[]): void => {
    if (live !== undefined) live.print(lines);
    else lines.forEach((line) => plain.write(line));
  };
  if (live !== undefined) sinks.push((event) => live.handle(event));
  else if (!flags.json) {
    sinks.push((event) => {
      const line = progressLine(event, color);
      if (line !== undefined) plain.write(line);
    });
  }
  if (flags.verbose && !flags.json) {
    const output = new TaskOutput(print, color, plan.tasks.map((task) => task.id));
    sinks.push((event) => output.handle(event));
  }

  const stop = listenForStop((name) => {
    if (!flags.json) print([color.yellow(`${name}: stopping; running tasks get their kill grace (send it again to kill them now)`)]);
  });
  try {
    const { result, record } = await executeRun(services, { pipeline, plan, trigger: 'manual', logicalDate, params, sinks, signal: stop.signal, force: stop.force });
    live?.stop();
    plain.flush();
    if (flags.json) writeLine(io.stdout, JSON.stringify(record, null, 2));
    else summaryLines(record, plan, color).forEach((line) => writeLine(io.stdout, line));
    if (result.status === 'cancelled') return stop.exitCode() ?? 130;
    return result.status === 'success' ? 0 : 1;
  } finally {
    plain.flush();
    stop.dispose();
  }
}
