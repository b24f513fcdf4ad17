import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notFoundPage } from '../../../src/ui/pages/not-found.js';
import { ORIGIN, pipelineView, uiHarness, type UiHarness } from '../../helpers/ui.js';

let ui: UiHarness;
afterEach(() => ui?.close());

const form = (body: string, extra: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...extra },
  body,
});

describe('web UI views and actions', () => {
  it('Pipelines: schedule in words and zone, paused state, params form only where params are declared', async () => {
    ui = await uiHarness([
      pipelineView('plain', { schedule: '30 6 * * 1-5', timezone: 'Europe/Paris' }),
      pipelineView('with-params', { params: { region: { type: 'string', enum: ['eu', 'us'], default: 'eu' }, size: { type: 'number' } } }),
      pipelineView('stopped', { paused: true, error: '/p/stopped.flow.yaml:3:5: tasks.a.run: expected a string' }),
    ]);
    const html = await (await ui.request('/')).text();
    expect(html).toContain('At 06:30, Monday through Friday');
    expect(html).toContain('Europe/Paris');
    expect(html).toContain('action="/ui/pipelines/plain/trigger"');
    expect(html).toContain('name="param.region"');
    expect(html).toContain('name="param.size"');
    expect(html.match(/name="param\./g)?.length).toBe(2);
    expect(html).toContain('action="/ui/pipelines/stopped/unpause"');
    expect(html).toContain('/p/stopped.flow.yaml:3:5: tasks.a.run: expected a string');
  });

  it('renders one pipeline row for live updates, in a table; an unknown one is a 404', async () => {
    ui = await uiHarness([pipelineView('etl'), pipelineView('other')]);
    const html = await (await ui.request('/ui/fragments/pipeline-row/etl')).text();
    expect(html).toMatch(/^<table><tbody><tr data-pipeline="etl" data-row="etl"/);
    expect(html).not.toContain('other');
    expect((await ui.request('/ui/fragments/pipeline-row/nope')).status).toBe(404);
    expect((await ui.request('/ui/fragments/pipeline-row/etl', { auth: 'none' })).status).toBe(401);
  });

  it('run now without JS redirects to the new run; with the client header it answers JSON', async () => {
    ui = await uiHarness([pipelineView('etl', { params: { region: { type: 'string' } } })]);
    const plain = await ui.request('/ui/pipelines/etl/trigger', form('param.region=eu&param.empty='));
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe('/runs/20300101T000000.000Z-abcdef');
    expect(ui.control.calls).toEqual(['trigger etl {"region":"eu"}']);
    const scripted = await ui.request('/ui/pipelines/etl/pause', form('back=/upcoming', { 'x-flow-client': '1' }));
    expect(await scripted.json()).toEqual({ ok: true, message: 'paused etl', location: '/upcoming' });
    const offsite = await ui.request('/ui/pipelines/etl/unpause', form('back=//evil.example/'));
    expect(offsite.headers.get('location')).toBe('/');
  });

  it('an action on an unknown pipeline: an error page without JS, the error JSON with it', async () => {
    ui = await uiHarness();
    const page = await ui.request('/ui/pipelines/nope/pause', form(''));
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('the daemon has no pipeline &quot;nope&quot;');
    const json = await ui.request('/ui/pipelines/nope/pause', form('', { 'x-flow-client': '1' }));
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('E_PIPELINE_NOT_FOUND');
  });

  it('refuses actions with the reason when they are blocked', async () => {
    ui = await uiHarness([pipelineView('etl')], { actionsBlocked: 'no daemon runs' });
    const response = await ui.request('/ui/pipelines/etl/pause', form('', { 'x-flow-client': '1' }));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('no daemon runs');
    expect(ui.control.calls).toEqual([]);
  });

  it('Upcoming: the next 24 hours of fire times across pipelines, soonest first, capped per pipeline', async () => {
    ui = await uiHarness([pipelineView('hourly', { schedule: '0 * * * *' }), pipelineView('minutely', { schedule: '* * * * *' }), pipelineView('manual', { schedule: null })]);
    const html = await (await ui.request('/upcoming')).text();
    expect(html.match(/<tr class="[^"]*"|<tr>/g)?.length ?? 0).toBeGreaterThan(0);
    expect(html.match(/>hourly</g)?.length).toBe(24);
    expect(html.match(/>minutely</g)?.length).toBe(60);
    expect(html).not.toContain('>manual<');
    expect(html).toContain('fire more than 60 times a day');
  });

  it('Daemon: says when none runs, and shows the tail of daemon.log escaped', async () => {
    ui = await uiHarness();
    writeFileSync(join(ui.home, 'daemon.log'), 'line one\n<b>bold</b>\n');
    const html = await (await ui.request('/daemon')).text();
    expect(html).toContain('No daemon runs for this FLOW_HOME');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('data-live="daemon"');
  });

  it('notFoundPage: 404 with a link back', async () => {
    ui = await uiHarness();
    ui.app.app.get('/things/:id', (c) => notFoundPage(c, ui.app.ui, { message: `No thing "${c.req.param('id')}".`, back: { href: '/things', label: 'All things' } }));
    const response = await ui.request('/things/%3Cx%3E');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('No thing &quot;&lt;x&gt;&quot;.');
    expect(html).toContain('<a href="/things">All things</a>');
  });

  it('shows the login form at /ui/login, and revalidates assets by ETag', async () => {
    ui = await uiHarness();
    const login = await ui.request('/ui/login', { auth: 'none' });
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="token"');
    const js = await ui.request('/ui/assets/app.js', { auth: 'none' });
    const etag = js.headers.get('etag') ?? '';
    expect((await ui.request('/ui/assets/app.js', { auth: 'none', headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await ui.request('/ui/assets/nothing.js', { auth: 'none' })).status).toBe(404);
  });
});

describe('the pipelines page and the index that lags the events', () => {
  it('shows a run as the events tell, before the index has it', async () => {
    ui = await uiHarness([pipelineView('etl')]);
    ui.control.hub.publish({ kind: 'run-started', run_id: '20300101T000000.000Z-aaaaaa', pipeline: 'etl', at: '2030-01-01T00:00:00+00:00' });
    let row = await (await ui.request('/ui/fragments/pipeline-row/etl')).text();
    expect(row).toContain('href="/runs/20300101T000000.000Z-aaaaaa"');
    expect(row).toContain('badge s-running');
    ui.control.hub.publish({ kind: 'run-finished', run_id: '20300101T000000.000Z-aaaaaa', pipeline: 'etl', at: '2030-01-01T00:00:01+00:00', status: 'failed' });
    row = await (await ui.request('/ui/fragments/pipeline-row/etl')).text();
    expect(row).toContain('badge s-failed');
    expect(row).toContain('cell s-failed');
  });
});
