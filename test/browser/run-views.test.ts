import { writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { liveOn, loggedIn, openBrowser, screenshot, startUiDaemon, type UiDaemon } from '../helpers/browser.js';
import { stopDaemon } from '../helpers/daemon.js';
import { fixture, type Fixture } from '../helpers/flow.js';

// One daemon for the file: each test runs its own pipeline. Tasks wait for gate files the test writes once the
// page shows the state before, so every change the page shows must have come through the event stream.
const gate = (name: string): string => `while [ ! -e ../${name} ]; do sleep 0.05; done`;

let browser: Browser;
let f: Fixture;
let ui: UiDaemon;
beforeAll(async () => {
  f = fixture({
    'pipelines/demo.flow.yaml': `tasks:\n  extract:\n    run: ${gate('go-demo')}; echo extracted\n  transform:\n    run: echo transformed\n    depends_on: [extract]\n  load:\n    run: echo loaded\n    depends_on: [transform]\n  report:\n    run: echo reported\n    depends_on: [extract]\n`,
    'pipelines/talk.flow.yaml': `tasks:\n  talk:\n    run: 'echo "line one"; ${gate('go-talk')}; printf "line two <b>not bold</b> \\033[31mred\\033[0m\\n"'\n`,
    'pipelines/nap.flow.yaml': 'tasks:\n  nap:\n    run: sleep 300\n',
  });
  [browser, ui] = await Promise.all([openBrowser(), startUiDaemon(f)]);
});
// Each test's tab is closed after it, so its event stream does not hold one of the browser's connections.
const opened: Page[] = [];
afterEach(async () => {
  for (const page of opened.splice(0)) await page.context().close();
});
afterAll(async () => {
  await browser?.close();
  if (ui !== undefined) await stopDaemon(ui.daemon);
});

/** Presses the pipeline's "Run now" on the Pipelines page and lands on the new run's page. */
async function runNow(pipeline: string): Promise<Page> {
  const page = await loggedIn(browser, ui);
  opened.push(page);
  await page.locator(`tr[data-pipeline="${pipeline}"]`).getByRole('button', { name: 'Run now' }).click();
  await page.waitForURL(/\/runs\/[^/]+$/);
  await liveOn(page);
  // Set after landing: still there at the end means the page was never reloaded.
  await page.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
  return page;
}

const stayed = (page: Page): Promise<boolean> => page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed === true);

describe('the run and log pages in a browser', () => {
  it('run now: the graph and Gantt turn green through the event stream, and "retry a task" adds an attempt', async () => {
    const page = await runNow('demo');
    await page.locator('g.node.s-running[data-task="extract"]').waitFor();
    expect(await page.locator('g.node.s-success').count()).toBe(0);
    writeFileSync(f.path('go-demo'), '');
    for (const task of ['extract', 'transform', 'load', 'report']) await page.locator(`g.node.s-success[data-task="${task}"]`).waitFor();
    await page.locator('.gantt rect.bar.s-success').nth(3).waitFor();
    await page.getByRole('button', { name: 'Retry task and downstream' }).waitFor();
    expect(await stayed(page)).toBe(true);
    await screenshot(page, 'run');

    await page.locator('select[name="task"]').selectOption('transform');
    await page.getByRole('button', { name: 'Retry task', exact: true }).click();
    await page.locator('tr[data-task="transform"][data-attempt="2"]').waitFor();
    await page.locator('g.node.s-success[data-task="transform"]').waitFor();
    expect(await page.locator('tr[data-task="load"][data-attempt="2"]').count()).toBe(0);
    expect(await stayed(page)).toBe(true);
  });

  it('a live log follows its attempt, with markup and escapes shown as text', async () => {
    const run = await runNow('talk');
    await run.locator('tr[data-task="talk"] a', { hasText: 'log' }).click();
    await run.waitForURL(/\/tasks\/talk\/1$/);
    const log = run.locator('#log');
    await log.filter({ hasText: 'line one' }).waitFor();
    await liveOn(run);
    await run.evaluate(() => ((globalThis as unknown as { stayed: boolean }).stayed = true));
    writeFileSync(f.path('go-talk'), '');
    await log.filter({ hasText: 'line two <b>not bold</b> red' }).waitFor();
    await run.locator('#log-state', { hasText: 'ended' }).waitFor();
    expect(await run.locator('#log b').count()).toBe(0);
    expect(await run.locator('#log span.a-f1').textContent()).toBe('red');
    expect(await log.textContent()).toBe('line one\nline two <b>not bold</b> red\n');
    expect(await stayed(run)).toBe(true);
    await screenshot(run, 'log');
  });

  it('stop cancels a run with a sleeping task', async () => {
    const page = await runNow('nap');
    await page.locator('g.node.s-running[data-task="nap"]').waitFor();
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.locator('g.node[data-task="nap"]:not(.s-running)').waitFor();
    await page.locator('dl.facts .badge.s-cancelled').waitFor();
    expect(await stayed(page)).toBe(true);
    await screenshot(page, 'run-stopped');
  });
});
