/**
 * The Pipeline view (`/pipelines/<name>`): the grid of its last 25 runs × tasks (older pages through `?before=`),
 * its DAG coloured by the selected run (`?run=`, the newest by default), success rate and durations over the last
 * 50 runs, and its file read-only with any load problems at `file:line:col`. Follows `pipeline:<name>`: a task or
 * run that changes re-renders the live region.
 */
import type { FC } from 'hono/jsx';
import type { PipelineView } from '../../api/deps.js';
import { FlowError } from '../../errors.js';
import { isRunId } from '../../store/layout.js';
import type { RunRecord } from '../../store/record.js';
import { StatusBadge } from '../components/status.js';
import { Time } from '../components/time.js';
import type { RegisterRoutes, UiContext } from '../context.js';
import { Dag } from '../graph/dag-svg.js';
import { readPipelineFile, runGraph, type PipelineFile } from '../graph/pipeline-file.js';
import { page } from '../layout.js';
import { notFoundPage } from '../pages/not-found.js';
import { Grid } from '../pipeline/grid.js';
import { liveRunsOf } from '../run/live-runs.js';
import { trendOf, type Trend } from '../pipeline/recent-runs.js';
import { TrendChart } from '../pipeline/trend-svg.js';
import { runHref, taskHref } from './paths.js';

export const GRID_RUNS = 25;
export const TREND_RUNS = 50;

export const register: RegisterRoutes = (app, ui) => {
  const live = liveRunsOf(ui);
  app.get('/pipelines/:name', async (c) => {
    const name = c.req.param('name');
    const before = c.req.query('before');
    const cursor = before !== undefined && isRunId(before) ? before : undefined;
    const [view, latestRead] = await Promise.all([pipelineOrNone(ui, name), ui.runs.page(name, { limit: TREND_RUNS })]);
    if (view === undefined && latestRead.runs.length === 0) {
      return notFoundPage(c, ui, { message: `No pipeline "${name}": none is loaded under that name, and none has runs.`, back: { href: '/', label: 'All pipelines' } });
    }
    const gridRead = cursor === undefined ? undefined : await ui.runs.page(name, { limit: GRID_RUNS, before: cursor });
    const file = view === undefined ? undefined : await readPipelineFile(view.file);
    // What the events said is laid over after the last read, so the page is as new as its stream cursor.
    const latest = latestRead.runs.map((run) => live.overlay(run));
    const grid = gridRead === undefined
      ? { runs: latest.slice(0, GRID_RUNS), older: latest.length > GRID_RUNS ? (latest[GRID_RUNS - 1]?.id ?? null) : latestRead.older }
      : { runs: gridRead.runs.map((run) => live.overlay(run)), older: gridRead.older };
    const wanted = c.req.query('run');
    const selected = grid.runs.find((run) => run.id === wanted) ?? grid.runs[0];
    return page(
      c,
      ui,
      { title: name, nav: 'pipelines', topics: [`pipeline:${name}`] },
      <PipelinePage name={name} view={view} file={file} runs={grid.runs} older={grid.older} before={cursor} selected={selected} trend={trendOf(latest)} ui={ui} />,
    );
  });
};

async function pipelineOrNone(ui: UiContext, name: string): Promise<PipelineView | undefined> {
  try {
    return await ui.deps.api.pipeline(name);
  } catch (error) {
    if (error instanceof FlowError && error.code === 'E_PIPELINE_NOT_FOUND') return undefined;
    throw error;
  }
}

interface PageProps {
  name: string;
  view: PipelineView | undefined;
  file: PipelineFile | undefined;
  runs: RunRecord[];
  older: string | null;
  before: string | undefined;
  selected: RunRecord | undefined;
  trend: Trend;
  ui: UiContext;
}

const PipelinePage: FC<PageProps> = ({ name, view, file, runs, older, before, selected, trend, ui }) => {
  const self = `/pipelines/${encodeURIComponent(name)}`;
  const taskIds = file?.tasks?.map((task) => task.id) ?? view?.tasks ?? selected?.tasks.map((task) => task.id) ?? [];
  const graph = file?.tasks ?? runGraph(taskIds, undefined);
  const statuses = new Map<string, string>(selected?.tasks.map((task) => [task.id, task.status]) ?? []);
  return (
    <>
      <h1>
        {name} {view?.paused === true && <span class="badge s-paused">paused</span>}
      </h1>
      {view === undefined ? (
        <p class="notice">This pipeline is not loaded now; its recorded runs are shown.</p>
      ) : (
        <dl class="facts">
          <dt>File</dt>
          <dd>
            <code>{view.file}</code>
          </dd>
          {view.description !== null && (
            <>
              <dt>About</dt>
              <dd>{view.description}</dd>
            </>
          )}
          <dt>Schedule</dt>
          <dd>{view.schedule === null ? 'manual' : <code>{view.schedule}</code>} {view.timezone}</dd>
          <dt>Next</dt>
          <dd>{view.paused ? 'paused' : <Time iso={view.next[0]} now={ui.now()} empty="never" />}</dd>
        </dl>
      )}
      <section id="pipeline-live" data-live={`pipeline:${name}`}>
        <h2>Runs</h2>
        {runs.length === 0 ? (
          <p class="muted">No runs yet.</p>
        ) : (
          <Grid runs={runs} tasks={taskIds} runHref={runHref} taskHref={taskHref} selected={selected?.id} />
        )}
        <nav class="pager" aria-label="pages of runs">
          {before !== undefined && <a href={self}>Newest runs</a>}
          {older !== null && <a href={`${self}?before=${encodeURIComponent(older)}`}>Older runs</a>}
        </nav>
        <h2>
          Graph{' '}
          {selected !== undefined && (
            <span class="small muted">
              of run <a href={runHref(selected.id)}>{selected.id}</a> <StatusBadge status={selected.status} />
            </span>
          )}
        </h2>
        <div class="graph-scroll">
          <Dag tasks={graph} statuses={statuses} href={selected === undefined ? undefined : (task) => taskHref(selected.id, task)} label={`graph of ${name}`} />
        </div>
        <h2>Last {TREND_RUNS} runs</h2>
        <TrendChart trend={trend} runHref={runHref} />
      </section>
      {file !== undefined && <FileSection file={file} />}
    </>
  );
};

const FileSection: FC<{ file: PipelineFile }> = ({ file }) => (
  <section>
    <h2>Pipeline file</h2>
    {file.problems.length > 0 && (
      <div class="problems">
        <p>This file does not load now{' '}(the daemon keeps running its last good version, if it had one):</p>
        <pre>{file.problems.join('\n')}</pre>
      </div>
    )}
    {file.text === undefined ? <p class="muted">{`${file.file}: ${file.unreadable ?? 'cannot be shown'}`}</p> : <pre class="source">{file.text}</pre>}
  </section>
);
