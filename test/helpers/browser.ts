/**
 * Real-browser tests: Debian's Chromium (/usr/bin/chromium, headless) driven by playwright-core, against a real
 * `flow daemon --ui` (the single executable in the `browser` vitest project). One browser per test file; each test
 * gets a fresh context (its own cookies). Screenshots go to test/browser/.screenshots/ (not committed; the README's
 * images under docs/ are copied from there).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, type Fixture, type Running } from './flow.js';

export const CHROMIUM = process.env.FLOW_TEST_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test', 'browser', '.screenshots');

export function openBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface UiDaemon {
  daemon: Running;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  token: string;
  loginUrl: string;
}

/** `flow daemon --ui` on a free port; resolves once the UI listens. */
export async function startUiDaemon(f: Fixture, args: string[] = []): Promise<UiDaemon> {
  const daemon = f.start(['daemon', '--dir', f.path('pipelines'), '--ui', '--listen', '127.0.0.1:0', ...args]);
  await daemon.waitFor('the web UI to listen', (out) => /web UI on http:\/\/127\.0\.0\.1:\d+/.test(out.stdout));
  const url = /web UI on (http:\/\/127\.0\.0\.1:\d+)/.exec(daemon.stdout)?.[1] as string;
  const token = readFileSync(join(f.home, 'ui-token'), 'utf8').trim();
  return { daemon, url, token, loginUrl: `${url}/ui/login?token=${token}` };
}

/** A new browser context logged in through the token URL, on the pipelines page. */
export async function loggedIn(browser: Browser, ui: UiDaemon, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(ui.loginUrl);
  await page.waitForURL(`${ui.url}/`);
  await page.locator('h1', { hasText: 'Pipelines' }).waitFor();
  return page;
}

/** Waits until the page's event stream is open (the header's live indicator turns on). */
export async function liveOn(page: Page): Promise<void> {
  await page.locator('#live[data-state="on"]').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
