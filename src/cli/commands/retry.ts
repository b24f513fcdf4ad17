/** `flow retry <run-id>`: run an ended run's failed tasks (or one task, and what follows it) again, in that run. */
import { prepareRetry, retryRun } from '../../runs/retry.js';
import type { FlowEvent } from '../../engine/events.js';
import { LiveView } from '../render/live-view.js';
import { progressLine } from '../render/progress-lines.js';
import { summaryLines } from '../render/summary.js';
import { hookFailures, openServices } from '../services.js';
import { listenForStop } from '../signals.js';
import { colorsFor, writeLine, type Io } from '../ui.js';

export interface RetryFlags {
  task?: string;
  downstream?: boolean;
  json?: boolean;
}

export async function retryCommand(runId: string, flags: RetryFlags, io: Io): Promise<number> {
  const services = await openServices(io);
  const prepared = await prepareRetry(services.store, { runId, task: flags.task, downstream: flags.downstream });
  const { record, plan, tasks } = prepared;
  const color = colorsFor(io.stdout, io.env);
  if (!flags.json) writeLine(io.stdout, `retrying run ${record.id} of ${record.pipeline} (logical date ${record.logical_date}): ${tasks.join(', ')}`);

  const sinks: ((event: FlowEvent) => void)[] = [hookFailures(io)];
  const live = !flags.json && io.stdout.isTTY === true && io.env.TERM !== 'dumb' ? new LiveView(io.stdout, color) : undefined;
  if (live !== undefined) {
    // The live view shows the tasks that run again; the others keep their state and have nothing to show.
    const rerun = new Set(tasks);
    sinks.push((event) =>
      live.handle(event.kind === 'run-started' ? { ...event, run: { ...event.run, plan: { ...event.run.plan, tasks: event.run.plan.tasks.filter((task) => rerun.has(task.id)) } } } : event),
    );
  } else if (!flags.json) {
    sinks.push((event) => {
      const line = event.kind === 'run-started' ? undefined : progressLine(event, color);
      if (line !== undefined) writeLine(io.stdout, line);
    });
  }
  const stop = listenForStop((name) => {
    if (!flags.json) writeLine(io.stdout, color.yellow(`${name}: stopping; running tasks get their kill grace (send it again to kill them now)`));
  });
  try {
    const { result, record: after } = await retryRun(services, prepared, { sinks, signal: stop.signal, force: stop.force });
    live?.stop();
    if (flags.json) writeLine(io.stdout, JSON.stringify(after, null, 2));
    else summaryLines(after, plan, color).forEach((line) => writeLine(io.stdout, line));
    if (result.status === 'cancelled') return stop.exitCode() ?? 130;
    return result.status === 'success' ? 0 : 1;
  } finally {
    stop.dispose();
  }
}
