import { afterEach, describe, expect, it } from 'vitest';
import { signSession, SESSION_COOKIE } from '../../../src/ui/security/session.js';
import { ORIGIN, TOKEN, pipelineView, uiHarness, type UiHarness } from '../../helpers/ui.js';

let ui: UiHarness;
afterEach(() => ui?.close());

describe('web UI authentication', () => {
  it('refuses a page without a token: 401 and the login page', async () => {
    ui = await uiHarness();
    const response = await ui.request('/', { auth: 'none' });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(html).toContain('action="/ui/login"');
    expect(html).not.toContain('href="/upcoming"');
  });

  it('refuses a wrong bearer token, an expired cookie and a forged one', async () => {
    ui = await uiHarness();
    expect((await ui.request('/', { auth: 'none', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const expired = `${SESSION_COOKIE}=${signSession(TOKEN, Date.now() - 1000)}`;
    const response = await ui.request('/', { headers: { cookie: expired } });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('expired');
    const forged = `${SESSION_COOKIE}=${signSession('another-token-of-some-other-server-xxxxxxxx', Date.now() + 3600_000)}`;
    expect((await ui.request('/', { headers: { cookie: forged } })).status).toBe(401);
  });

  it('accepts a bearer token, and answers JSON errors under /api/', async () => {
    ui = await uiHarness();
    expect((await ui.request('/', { auth: 'bearer' })).status).toBe(200);
    const api = await ui.request('/api/v1/pipelines', { auth: 'bearer' });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { name: string }[])[0]?.name).toBe('etl');
    const refused = await ui.request('/api/v1/pipelines', { auth: 'none' });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('E_UNAUTHORIZED');
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie that then works', async () => {
    ui = await uiHarness();
    const wrong = await ui.request('/ui/login?token=wrong', { auth: 'none' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const login = await ui.request(`/ui/login?token=${TOKEN}`, { auth: 'none' });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^flow_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(await login.text()).toContain('url=/');
    expect((await ui.request('/', { headers: { cookie: cookie.split(';')[0] as string } })).status).toBe(200);
    const form = await ui.request('/ui/login', { method: 'POST', auth: 'none', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${TOKEN}` });
    expect(form.headers.get('set-cookie')).toContain('HttpOnly');
  });

  it('marks the cookie Secure behind a TLS proxy, and refuses a login form posted without our Origin', async () => {
    ui = await uiHarness();
    const behind = await ui.request(`/ui/login?token=${TOKEN}`, { auth: 'none', headers: { 'x-forwarded-proto': 'https' } });
    expect(behind.headers.get('set-cookie')).toMatch(/; Secure$/);
    const body = `token=${TOKEN}`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await ui.request('/ui/login', { method: 'POST', auth: 'none', headers, body })).status).toBe(403);
    expect((await ui.request('/ui/login', { method: 'POST', auth: 'none', headers: { ...headers, origin: 'http://evil.example' }, body })).status).toBe(403);
  });

  it('logs out by clearing the cookie', async () => {
    ui = await uiHarness();
    const response = await ui.request('/ui/logout', { method: 'POST' });
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toContain('Max-Age=0');
  });

  it('refuses a foreign Host (DNS rebinding) with 403, even with the token; accepts localhost and configured names', async () => {
    ui = await uiHarness([pipelineView('etl')], { hostNames: ['flow.example.com'] });
    expect((await ui.request('/', { auth: 'bearer', headers: { host: 'evil.example:8484' } })).status).toBe(403);
    expect((await ui.request('/', { auth: 'bearer', headers: { host: '127.0.0.1:9999' } })).status).toBe(403);
    expect((await ui.request('/ui/login', { auth: 'none', headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await ui.request('/', { auth: 'bearer', headers: { host: 'localhost:8484' } })).status).toBe(200);
    expect((await ui.request('/', { auth: 'bearer', headers: { host: 'flow.example.com' } })).status).toBe(200);
  });

  it('refuses a state-changing request with a foreign or missing Origin (403), and acts with our own', async () => {
    ui = await uiHarness();
    const foreign = await ui.request('/ui/pipelines/etl/pause', { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    const missing = await ui.request('/ui/pipelines/etl/pause', { method: 'POST', noOrigin: true });
    expect(missing.status).toBe(403);
    expect(ui.control.calls).toEqual([]);
    const ours = await ui.request('/ui/pipelines/etl/pause', { method: 'POST' });
    expect(ours.status).toBe(303);
    expect(ui.control.calls).toEqual(['pause etl']);
  });

  it('sends no CORS headers and refuses a preflight', async () => {
    ui = await uiHarness();
    const preflight = await ui.request('/api/v1/pipelines', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect([...preflight.headers.keys()].filter((name) => name.startsWith('access-control'))).toEqual([]);
    const page = await ui.request('/', { headers: { origin: ORIGIN } });
    expect([...page.headers.keys()].filter((name) => name.startsWith('access-control'))).toEqual([]);
  });

  it('lets a script with the bearer token act without an Origin', async () => {
    ui = await uiHarness();
    const response = await ui.request('/api/v1/pipelines/etl/pause', { method: 'POST', auth: 'bearer' });
    expect(response.status).toBe(200);
    expect(ui.control.calls).toEqual(['pause etl']);
  });

  it('--read-only hides every action and refuses them, on the UI and the API', async () => {
    ui = await uiHarness([pipelineView('etl')], { readOnly: true });
    const html = await (await ui.request('/')).text();
    expect(html).toContain('read-only');
    expect(html).not.toContain('/ui/pipelines/etl/pause');
    expect(html).not.toContain('Run now');
    expect((await ui.request('/ui/pipelines/etl/pause', { method: 'POST' })).status).toBe(403);
    expect((await ui.request('/api/v1/pipelines/etl/trigger', { method: 'POST', auth: 'bearer', body: '{}' })).status).toBe(403);
    expect(ui.control.calls).toEqual([]);
  });

  it('refuses the event stream without a token (401), with a foreign Host (403)', async () => {
    ui = await uiHarness();
    const none = await ui.request('/ui/events?topic=pipelines', { auth: 'none' });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).not.toContain('event-stream');
    const expired = await ui.request('/ui/events?topic=pipelines', { headers: { cookie: `${SESSION_COOKIE}=${signSession(TOKEN, Date.now() - 1)}` } });
    expect(expired.status).toBe(401);
    expect((await ui.request('/ui/events?topic=pipelines', { auth: 'bearer', headers: { host: 'evil.example:8484' } })).status).toBe(403);
  });
});
