import { afterEach, describe, expect, it } from 'vitest';
import { pipelineView, uiHarness, type UiHarness } from '../../helpers/ui.js';

let ui: UiHarness;
afterEach(() => ui?.close());

describe('web UI pages', () => {
  it('renders the pipelines page with its nav, escaping user text', async () => {
    ui = await uiHarness([pipelineView('etl', { description: '<script>alert(1)</script>' })]);
    const response = await ui.request('/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('href="/upcoming"');
    expect(html).toContain('href="/daemon"');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves the embedded script and stylesheet', async () => {
    ui = await uiHarness();
    const js = await ui.request('/ui/assets/app.js', { auth: 'none' });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await js.text()).length).toBeGreaterThan(100);
    const css = await ui.request('/ui/assets/style.css', { auth: 'none' });
    expect(await css.text()).toContain('prefers-color-scheme: dark');
  });

  it('answers an unknown page with a 404 page that links back', async () => {
    ui = await uiHarness();
    const response = await ui.request('/no/such/page');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('href="/"');
  });
});
