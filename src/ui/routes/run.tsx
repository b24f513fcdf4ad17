/**
 * The Run view (`/runs/<id>`, a unique prefix works as on the command line): what the run is, its graph and Gantt
 * chart, every attempt, and the buttons — stop a running run; retry its failed tasks, one task, or one task and
 * everything downstream of it — which go through the same control API as `flow stop` and `flow retry`. Follows
 * `run:<id>`: each task change re-renders the live region. With --read-only there are no buttons (and the guard
 * refuses their requests).
 */
import type { FC } from 'hono/jsx';
import { FlowError } from '../../errors.js';
import { isRunId, startOfRunId } from '../../store/layout.js';
import type { RunRecord } from '../../store/record.js';
import { formatDuration } from '../../util/duration.js';
import { act } from '../actions.js';
import { StatusBadge } from '../components/status.js';
import { Time } from '../components/time.js';
import type { RegisterRoutes, UiContext } from '../context.js';
import { Dag } from '../graph/dag-svg.js';
import { readPipelineFile, runGraph } from '../graph/pipeline-file.js';
import { page } from '../layout.js';
import { notFoundPage } from '../pages/not-found.js';
import { AttemptsTable } from '../run/attempts-table.js';
import { ganttOf } from '../run/gantt.js';
import { liveRunsOf } from '../run/live-runs.js';
import { Gantt } from '../run/gantt-svg.js';
import { pipelineHref, runHref, taskHref } from './paths.js';

export const register: RegisterRoutes = (app, ui) => {
  const live = liveRunsOf(ui);
  app.get('/runs/:id', async (c) => {
    const found = (await runOrNone(ui, c.req.param('id'))) ?? (await justStarted(ui, c.req.param('id')));
    if (found === undefined) return notFoundPage(c, ui, { message: `No run "${c.req.param('id')}".`, back: { href: '/', label: 'All pipelines' } });
    const file = await readPipelineFile(found.file);
    // What the events said is laid over after the last read, so the page is as new as its stream cursor.
    const run = live.overlay(found);
    const graph = runGraph(run.tasks.map((task) => task.id), file.tasks);
    return page(c, ui, { title: `${run.pipeline} · ${run.id}`, nav: 'pipelines', topics: [`run:${run.id}`] }, <RunPage run={run} graph={graph} ui={ui} />);
  });

  app.post('/ui/runs/:id/stop', (c) =>
    act(c, ui, async () => {
      const result = await ui.deps.api.stop(c.req.param('id'));
      return { message: `stopping run ${result.run_id} of ${result.pipeline}`, location: runHref(result.run_id) };
    }),
  );
  app.post('/ui/runs/:id/retry', (c) =>
    act(c, ui, async () => {
      const form = await c.req.parseBody();
      const task = typeof form.task === 'string' && form.task !== '' && form.scope !== 'failed' ? form.task : undefined;
      const body = task === undefined ? {} : { task, downstream: form.scope === 'downstream' };
      const result = await ui.deps.api.retry(c.req.param('id'), body);
      return { message: `retrying ${result.tasks.join(', ')} in run ${result.run_id}`, location: runHref(result.run_id) };
    }),
  );
};

/** A run by id or unique prefix; undefined for one that does not exist or a prefix that names several. */
export async function runOrNone(ui: UiContext, ref: string): Promise<RunRecord | undefined> {
  try {
    return await ui.runs.find(ref);
  } catch (error) {
    if (error instanceof FlowError && (error.code === 'E_RUN_NOT_FOUND' || error.code === 'E_AMBIGUOUS' || error.code === 'E_STORE')) return undefined;
    throw error;
  }
}

/** How long a run that has just started may take to be on disk: it is announced before its record is written. */
const RECORDED_WITHIN_MS = 10_000;

/**
 * A run "run now" has just started (its page is asked for at once): its record is written right after the run is
 * announced, and before its first task starts. Wait for the run's next event (or the deadline), then read it again.
 */
async function justStarted(ui: UiContext, ref: string): Promise<RunRecord | undefined> {
  if (!isRunId(ref) || Math.abs(ui.now().getTime() - startOfRunId(ref)) > 60_000) return undefined;
  let stop = (): void => undefined;
  const moved = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, RECORDED_WITHIN_MS);
    const unsubscribe = ui.deps.api.subscribe((event) => {
      if (event.run_id === ref && event.kind !== 'run-started') resolve();
    });
    stop = () => {
      clearTimeout(timer);
      unsubscribe();
    };
  });
  try {
    // Read once more after subscribing: an event that came in between would otherwise be waited for in vain.
    return (await runOrNone(ui, ref)) ?? (await moved.then(() => runOrNone(ui, ref)));
  } finally {
    stop();
  }
}

const RunPage: FC<{ run: RunRecord; graph: ReturnType<typeof runGraph>; ui: UiContext }> = ({ run, graph, ui }) => {
  const now = ui.now();
  const statuses = new Map(run.tasks.map((task) => [task.id, task.status as string]));
  return (
    <>
      <h1>
        <a href={pipelineHref(run.pipeline)}>{run.pipeline}</a> <span class="muted">run</span> <code class="run-id">{run.id}</code>
      </h1>
      <section id="run-live" data-live={`run:${run.id}`}>
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={run.status} />
            {run.note !== undefined && <span class="muted"> {run.note}</span>}
          </dd>
          <dt>Trigger</dt>
          <dd>{run.trigger}</dd>
          <dt>Logical date</dt>
          <dd>
            <code>{run.logical_date}</code>
          </dd>
          <dt>Started</dt>
          <dd>
            <Time iso={run.started_at} now={now} />
          </dd>
          <dt>Took</dt>
          <dd>{run.duration_ms === null ? (run.status === 'running' ? 'running' : '') : formatDuration(run.duration_ms)}</dd>
          {run.params !== undefined && (
            <>
              <dt>Params</dt>
              <dd>
                <code>{Object.entries(run.params).map(([key, value]) => `${key}=${String(value)}`).join(' ')}</code>
              </dd>
            </>
          )}
        </dl>
        {!ui.readOnly && <RunActions run={run} />}
        <h2>Graph</h2>
        <div class="graph-scroll">
          <Dag tasks={graph} statuses={statuses} href={(task) => taskHref(run.id, task)} label={`graph of run ${run.id}`} />
        </div>
        <h2>Gantt</h2>
        <div class="graph-scroll">
          <Gantt data={ganttOf(run, now.getTime())} />
        </div>
        <h2>Attempts</h2>
        <AttemptsTable run={run} now={now} />
      </section>
    </>
  );
};

const RunActions: FC<{ run: RunRecord }> = ({ run }) => {
  const base = `/ui/runs/${encodeURIComponent(run.id)}`;
  const back = runHref(run.id);
  if (run.status === 'running') {
    return (
      <div class="run-actions">
        <form method="post" action={`${base}/stop`} class="inline" data-action data-confirm="Stop this run? Its running tasks are ended as a timeout ends them.">
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="danger">
            Stop
          </button>
        </form>
      </div>
    );
  }
  return (
    <div class="run-actions">
      {run.status !== 'success' && (
        <form method="post" action={`${base}/retry`} class="inline" data-action>
          <input type="hidden" name="back" value={back} />
          <button type="submit" name="scope" value="failed">
            Retry failed
          </button>
        </form>
      )}
      <form method="post" action={`${base}/retry`} class="inline retry-task" data-action>
        <input type="hidden" name="back" value={back} />
        <label>
          Task{' '}
          <select name="task">
            {run.tasks.map((task) => (
              <option value={task.id}>{task.id}</option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" name="scope" value="task" class="secondary">
          Retry task
        </button>{' '}
        <button type="submit" name="scope" value="downstream" class="secondary">
          Retry task and downstream
        </button>
      </form>
    </div>
  );
};
