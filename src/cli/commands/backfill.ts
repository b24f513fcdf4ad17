/** `flow backfill <pipeline> --from DATE --to DATE`: one run per instant of the schedule in the range. */
import { parseParamFlags } from '../params.js';
import { resolveParams } from '../../pipeline/params.js';
import { RERUN_MODES, type RerunMode } from '../../backfill/types.js';
import { prepareBackfill } from '../../backfill/prepare.js';
import { runBackfill } from '../../backfill/run.js';
import type { FlowEvent } from '../../engine/events.js';
import { FlowError } from '../../errors.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import { loadPipeline } from '../../pipeline/load.js';
import { pipelinesDir } from '../../util/paths.js';
import { BackfillProgress, finishedDateLine } from '../render/backfill-progress.js';
import { backfillSummaryLines, dryRunLines } from '../render/backfill-summary.js';
import { hookFailures, openServices } from '../services.js';
import { listenForStop } from '../signals.js';
import { colorsFor, writeLine, type Io } from '../ui.js';

export interface BackfillFlags {
  dir?: string;
  from: string;
  to: string;
  rerun?: string;
  parallel?: number;
  reverse?: boolean;
  dryRun?: boolean;
  json?: boolean;
  param?: string[];
}

export async function backfillCommand(ref: string, flags: BackfillFlags, io: Io): Promise<number> {
  const rerun = rerunMode(flags.rerun);
  const pipeline = await loadPipeline(await resolvePipelineFile(ref, pipelinesDir(flags.dir, io.env)));
  const params = parseParamFlags(flags.param);
  resolveParams(pipeline, params);
  const services = await openServices(io, { cluster: true, command: 'backfill' });
  const plan = await prepareBackfill(services.store, { pipeline, from: flags.from, to: flags.to, rerun, parallel: flags.parallel, reverse: flags.reverse });
  const color = colorsFor(io.stdout, io.env);
  const total = plan.dates.filter((date) => date.action === 'run').length;
  const keep = services.store.retention.keepRuns;
  if (total > keep) {
    // Retention prunes a pipeline's oldest runs as each run ends: past `keep`, this backfill forgets its first dates.
    writeLine(io.stderr, `flow: warning: history keeps ${keep} runs per pipeline (retention.keep_runs), fewer than the ${total} dates to run: a later backfill will not know the first ones ran`);
  }
  if (flags.dryRun) {
    if (flags.json) writeLine(io.stdout, JSON.stringify(plan.dates, null, 2));
    else dryRunLines(plan, color).forEach((line) => writeLine(io.stdout, line));
    return 0;
  }

  const tty = !flags.json && io.stdout.isTTY === true && io.env.TERM !== 'dumb';
  const progress = tty && total > 0 ? new BackfillProgress(io.stdout, color, pipeline.name, total, plan.parallel) : undefined;
  const hooks = hookFailures(io);
  const sinks = [
    (event: FlowEvent) => {
      if (event.kind !== 'hook-finished' || event.hook.error === null) return;
      if (progress !== undefined) progress.above(() => hooks(event));
      else hooks(event);
    },
  ];
  const stop = listenForStop((name) => {
    const line = color.yellow(`${name}: stopping; no more dates start, running ones get their kill grace (send it again to kill them now)`);
    if (progress !== undefined) progress.above(() => writeLine(io.stdout, line));
    else if (!flags.json) writeLine(io.stderr, line);
  });
  const started = Date.now();
  try {
    const result = await runBackfill(services, {
      pipeline,
      plan,
      sinks,
      params,
      signal: stop.signal,
      force: stop.force,
      onEvent: (event) => {
        if (progress !== undefined) progress.handle(event);
        else if (!flags.json && event.kind === 'date-finished') writeLine(io.stdout, finishedDateLine(event.result, color));
      },
    });
    progress?.stop();
    if (flags.json) writeLine(io.stdout, JSON.stringify(result.dates, null, 2));
    else backfillSummaryLines(pipeline.name, result.dates, Date.now() - started, color).forEach((line) => writeLine(io.stdout, line));
    const stopped = stop.exitCode();
    if (stopped !== undefined) return stopped;
    return result.dates.some((date) => date.action === 'run' && date.status !== 'success') ? 1 : 0;
  } finally {
    progress?.stop();
    stop.dispose();
  }
}

function rerunMode(value: string | undefined): RerunMode {
  if (value === undefined) return 'missing';
  if (!(RERUN_MODES as readonly string[]).includes(value)) {
    throw new FlowError('E_USAGE', `--rerun: expected one of ${RERUN_MODES.join(', ')}, got "${value}"`);
  }
  return value as RerunMode;
}
