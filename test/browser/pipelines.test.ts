import type { Browser } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveOn, loggedIn, openBrowser, screenshot, startUiDaemon } from '../helpers/browser.js';
import { runsOf, stopDaemon } from '../helpers/daemon.js';
import { eventually, fixture } from '../helpers/flow.js';

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function ranLines(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

describe('the pipelines page in a browser', () => {
  it('logs in with the token URL, shows the pipelines, and pausing from the page stops firing', async () => {
    const f = fixture({
      'pipelines/tick.flow.yaml': 'description: writes the time every second\nschedule: "* * * * * *"\ntasks:\n  a:\n    run: echo "$FLOW_LOGICAL_DATE" >> ../ran\n',
      'pipelines/report.flow.yaml':
        'schedule: "30 6 * * 1-5"\ntimezone: Europe/Paris\nparams:\n  region:\n    enum: [eu, us]\n    default: eu\ntasks:\n  build:\n    run: echo build\n  send:\n    run: echo send\n    depends_on: [build]\n',
      'pipelines/broken.flow.yaml': 'schedule: "61 * * * *"\ntasks:\n  a:\n    run: echo\n',
    });
    const ui = await startUiDaemon(f);
    try {
      const wrong = await browser.newPage();
      await wrong.goto(`${ui.url}/ui/login?token=wrong`);
      await wrong.locator('form[action="/ui/login"]').waitFor();
      await wrong.close();

      const page = await loggedIn(browser, ui);
      await liveOn(page);
      const row = page.locator('tr[data-pipeline="tick"]');
      await expect.poll(() => page.locator('tr[data-pipeline]').count(), { timeout: 30_000 }).toBe(2);
      await page.locator('.problems', { hasText: 'broken.flow.yaml' }).waitFor();
      // The strip fills from the event stream, without a reload.
      await row.locator('.strip .cell.s-success').first().waitFor();
      await screenshot(page, 'pipelines');

      // The same session on a phone, in dark mode: no sideways scrolling.
      const phone = await browser.newContext({ storageState: await page.context().storageState(), viewport: { width: 390, height: 844 }, isMobile: true, colorScheme: 'dark' });
      const small = await phone.newPage();
      await small.goto(`${ui.url}/`);
      await small.locator('tr[data-pipeline="tick"]').waitFor();
      // A string: the browser's globals are not in this project's types.
      expect(await small.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      await screenshot(small, 'pipelines-phone-dark');
      await small.goto(`${ui.url}/daemon`);
      await small.locator('dl.facts', { hasText: 'runs in flight' }).waitFor();
      await screenshot(small, 'daemon-phone-dark');
      await phone.close();

      await row.getByRole('button', { name: 'Pause' }).click();
      await row.getByRole('button', { name: 'Unpause' }).waitFor();
      const atPause = ranLines(f.path('ran'));
      // Two instants recorded as skipped because paused prove the daemon fired on and did not run them.
      await eventually('two instants skipped as paused', async () => (await runsOf(f, 'tick')).filter((run) => run.reason?.includes('paused') === true).length >= 2);
      // An instant that was already running when the pause landed may still write one line.
      expect(ranLines(f.path('ran'))).toBeLessThanOrEqual(atPause + 1);
      await screenshot(page, 'pipelines-paused');
    } finally {
      await stopDaemon(ui.daemon);
    }
  });
});
