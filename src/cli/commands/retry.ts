/** `flow retry <run-id>`: run an ended run's failed tasks (or one task, and what follows it) again, in that run. */
import { prepareRetry, retryRun } from '../../runs/retry.js';
import type { FlowEvent } from '../../engine/events.js';
import { LiveView } from '../render/live-view.js';
import { progressLine } from '../render/progress-lines.js';
import { summaryLines } from '../render/summary.js';
import { hookFailures, openServices } from '../services.js';
import { listenForStop } from '../signals.js';
import { colorsFor, writeLine, type Io } from '../ui.js';
import { ApiClient } from '../../api/client.js';
import type { HistoryStore } from '../../store/history.js';
import { flowHome } from '../../util/paths.js';
import { runExitCode, waitForEnd } from '../wait-run.js';
import type { PreparedRetry } from '../../runs/retry.js';

export interface RetryFlags {
  task?: string;
  downstream?: boolean;
  json?: boolean;
}

export async function retryCommand(runId: string, flags: RetryFlags, io: Io): Promise<number> {
  const services = await openServices(io, { cluster: true, command: 'retry' });
  const prepared = await prepareRetry(services.store, { runId, task: flags.task, downstream: flags.downstream });
  // With a daemon running, the retry is its to run (the API is the one road for changes); it is followed from here.
  const client = new ApiClient(flowHome(io.env));
  if (await client.available()) return retryInDaemon(client, services.store, prepared, flags, io);
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

async function retryInDaemon(client: ApiClient, store: HistoryStore, prepared: PreparedRetry, flags: RetryFlags, io: Io): Promise<number> {
  const { record, plan } = prepared;
  const started = await client.call<{ run_id: string; pipeline: string; tasks: string[] }>('POST', `/runs/${encodeURIComponent(record.id)}/retry`, { task: flags.task, downstream: flags.downstream });
  if (!flags.json) writeLine(io.stdout, `retrying run ${started.run_id} of ${started.pipeline} in the daemon (logical date ${record.logical_date}): ${started.tasks.join(', ')}`);
  // The record is `running` again once the daemon has claimed it: wait for that retry's own end.
  const retries = record.retried?.length ?? 0;
  let after = await waitForEnd(store, { pipeline: started.pipeline, id: started.run_id });
  while ((after.retried?.length ?? 0) <= retries || after.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 150));
    after = await waitForEnd(store, { pipeline: started.pipeline, id: started.run_id });
  }
  if (flags.json) writeLine(io.stdout, JSON.stringify(after, null, 2));
  else summaryLines(after, plan, colorsFor(io.stdout, io.env)).forEach((line) => writeLine(io.stdout, line));
  return runExitCode(after.status);
}
