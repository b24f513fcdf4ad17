/**
 * The Pipelines view (`/`): every pipeline with its schedule in words and zone, next fire time, last run, a strip of
 * the last 10 runs, the paused toggle and "run now" (with a form for its params, when it declares any); then the
 * files that do not load, with `file:line` messages. Follows the `pipelines` topic: a run that starts or ends, a
 * pause, reloads the table.
 */
import type { FC } from 'hono/jsx';
import type { PipelineView } from '../../api/deps.js';
import { act, paramsOf } from '../actions.js';
import { StatusBadge, StatusStrip } from '../components/status.js';
import { Time } from '../components/time.js';
import type { RegisterRoutes, UiContext } from '../context.js';
import { pipelineRows, type PipelineRow } from '../data/pipelines.js';
import { page } from '../layout.js';
import { ParamsForm } from './params-form.js';

export const register: RegisterRoutes = (app, ui) => {
  const recent = ui.runs.strips(10, () => ui.broadcast.publish('pipelines', { event: 'changed', data: null }));
  ui.deps.api.subscribe((event) => recent.note(event));

  app.get('/', async (c) => {
    const [views, broken] = await Promise.all([ui.deps.api.pipelines({ next: 1 }), ui.deps.loadErrors()]);
    const rows = await pipelineRows(views, recent);
    return page(c, ui, { title: 'Pipelines', nav: 'pipelines', topics: ['pipelines'] }, <PipelinesPage rows={rows} broken={broken} ui={ui} />);
  });

  // One row, for the page's live updates (client/rows.ts); in a table, as HTML parsers drop a lone <tr>.
  app.get('/ui/fragments/pipeline-row/:name', async (c) => {
    const view = await ui.deps.api.pipeline(c.req.param('name'));
    const [row] = await pipelineRows([view], recent);
    if (row === undefined) return c.notFound();
    return c.html(
      <table>
        <tbody>
          <Row row={row} ui={ui} now={ui.now()} />
        </tbody>
      </table>,
    );
  });

  const changed = (name: string, event: string): void => {
    for (const topic of ['pipelines', `pipeline:${name}`]) ui.broadcast.publish(topic, { event, data: { pipeline: name } });
  };
  app.post('/ui/pipelines/:name/pause', (c) =>
    act(c, ui, async () => {
      const result = await ui.deps.api.pause(c.req.param('name'));
      changed(result.pipeline, 'paused');
      return { message: `paused ${result.pipeline}` };
    }),
  );
  app.post('/ui/pipelines/:name/unpause', (c) =>
    act(c, ui, async () => {
      const result = await ui.deps.api.unpause(c.req.param('name'));
      changed(result.pipeline, 'unpaused');
      return { message: `unpaused ${result.pipeline}${result.catchup.length > 0 ? `; catching up ${result.catchup.length} instant(s)` : ''}` };
    }),
  );
  app.post('/ui/pipelines/:name/trigger', (c) =>
    act(c, ui, async () => {
      const form = await c.req.parseBody();
      const result = await ui.deps.api.trigger(c.req.param('name'), { params: paramsOf(form) });
      return { message: `started ${result.pipeline} run ${result.run_id}`, location: `/runs/${encodeURIComponent(result.run_id)}` };
    }),
  );
};

const PipelinesPage: FC<{ rows: PipelineRow[]; broken: { file: string; error: string }[]; ui: UiContext }> = ({ rows, broken, ui }) => {
  const now = ui.now();
  return (
    <>
      <h1>Pipelines</h1>
      <section id="pipelines" data-live-rows="pipelines" data-row-url="/ui/fragments/pipeline-row/">
        {rows.length === 0 ? (
          <p class="muted">No pipelines loaded. Put a *.flow.yaml file in the pipelines directory (`flow init` makes one).</p>
        ) : (
          <table class="list">
            <thead>
              <tr>
                <th>Pipeline</th>
                <th>Schedule</th>
                <th>Next</th>
                <th>Last run</th>
                <th>Recent</th>
                {!ui.readOnly && <th class="actions">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <Row row={row} ui={ui} now={now} />
              ))}
            </tbody>
          </table>
        )}
        {broken.length > 0 && (
          <div class="problems">
            <h2>Files that do not load</h2>
            <ul>
              {broken.map((problem) => (
                <li>
                  <pre>{problem.error}</pre>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </>
  );
};

const Row: FC<{ row: PipelineRow; ui: UiContext; now: Date }> = ({ row, ui, now }) => {
  const view: PipelineView = row.view;
  const href = `/pipelines/${encodeURIComponent(view.name)}`;
  const name = encodeURIComponent(view.name);
  return (
    <tr data-pipeline={view.name} data-row={view.name} class={view.paused ? 'paused' : undefined}>
      <td data-label="Pipeline">
        <a href={href}>{view.name}</a>
        {view.paused && <span class="badge s-paused">paused</span>}
        {view.description !== null && <div class="muted small">{view.description}</div>}
        {view.error !== null && <pre class="error small">{view.error}</pre>}
      </td>
      <td data-label="Schedule">
        {view.schedule === null ? <span class="muted">manual</span> : <span title={view.schedule}>{row.words}</span>}
        <div class="muted small">
          {view.schedule !== null && <code>{view.schedule}</code>} {view.timezone}
        </div>
      </td>
      <td data-label="Next">{view.paused ? <span class="muted">paused</span> : <Time iso={view.next[0]} now={now} empty="never" />}</td>
      <td data-label="Last run">
        {row.last === null ? (
          <span class="muted">never</span>
        ) : (
          <a href={`/runs/${encodeURIComponent(row.last.id)}`}>
            <StatusBadge status={row.last.status} /> <Time iso={row.last.started_at} now={now} />
          </a>
        )}
      </td>
      <td data-label="Recent">
        <StatusStrip items={row.recent.map((run) => ({ status: run.status, title: `${run.status} · ${run.started_at}` }))} />
      </td>
      {!ui.readOnly && (
        <td data-label="Actions" class="actions">
          <form method="post" action={`/ui/pipelines/${name}/${view.paused ? 'unpause' : 'pause'}`} class="inline" data-action>
            <input type="hidden" name="back" value="/" />
            <button type="submit" class="secondary" aria-pressed={view.paused ? 'true' : 'false'}>
              {view.paused ? 'Unpause' : 'Pause'}
            </button>
          </form>
          {Object.keys(view.params).length === 0 ? (
            <form method="post" action={`/ui/pipelines/${name}/trigger`} class="inline" data-action>
              <button type="submit">Run now</button>
            </form>
          ) : (
            <details class="run-now">
              <summary class="button">Run now…</summary>
              <ParamsForm action={`/ui/pipelines/${name}/trigger`} params={view.params} />
            </details>
          )}
        </td>
      )}
    </tr>
  );
};
