/* global fetch, TextDecoder */
// The web UI with 500 pipelines and 100,000 runs in history (bench/seed-history.ts), served by `flow daemon --ui`:
// the pipelines page's server time (its Server-Timing header, beside the JSON of /api/v1/pipelines for the same
// data), and how long an executor event takes to reach an open page's event stream (from the trigger request, and
// from the event's own time).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, percentile } from './lib.mjs';
import { loadSeeder } from './sections.mjs';

const serverMs = (response) => Number(/dur=([\d.]+)/.exec(response.headers.get('server-timing') ?? '')?.[1] ?? NaN);

export async function uiBench({ work, line, flowBin }) {
  const seed = await loadSeeder(work);
  const home = join(work, 'home-ui');
  const dir = join(work, 'ui-pipelines');
  mkdirSync(dir, { recursive: true });
  await seed(home, 500, 200);
  // The seeded runs' pipelines, scheduled hours away, so nothing fires by itself during the measurement.
  const later = (new Date().getUTCHours() + 12) % 24;
  for (let i = 0; i < 500; i++) writeFileSync(join(dir, `seeded-${i}.flow.yaml`), `schedule: "${i % 60} ${later} * * *"\ntimezone: UTC\ntasks:\n  main:\n    run: "true"\n`);
  const child = spawn(process.execPath, [flowBin, 'daemon', '--dir', dir, '--ui', '--listen', '127.0.0.1:0'], { env: { ...process.env, FLOW_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  try {
    const deadline = Date.now() + 120_000;
    while (!/web UI on http/.test(out)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`ui: the daemon's web UI did not start:\n${out}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /web UI on (http:\/\/\S+)/.exec(out)[1];
    const token = readFileSync(join(home, 'ui-token'), 'utf8').trim();
    const get = (path) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    // Warm-up: the first page render starts filling the strips of pipelines the index no longer covers from their
    // run files, in the background; let it finish before measuring.
    for (let i = 0; i < 3; i++) await (await get('/')).text();
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const page = [];
    const json = [];
    let bytes = 0;
    for (let i = 0; i < 15; i++) {
      const a = await get('/');
      bytes = (await a.text()).length;
      page.push(serverMs(a));
      const b = await get('/api/v1/pipelines');
      await b.text();
      json.push(serverMs(b));
    }
    line(`ui       pipelines page, 500 pipelines, 100,000 runs: server ${fmt(median(page))} median, ${fmt(percentile(page, 90))} p90 (target 150 ms), ${(bytes / 1024).toFixed(0)} KiB; /api/v1/pipelines ${fmt(median(json))} -> page ${(median(page) / median(json)).toFixed(2)}x the JSON`);

    // An open page's stream on its pipeline's topic; each trigger's run-started must reach it.
    const stream = await get('/ui/events?topic=pipeline:seeded-7');
    const reader = stream.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const waitFor = async (test) => {
      const until = Date.now() + 30_000;
      while (!test(text)) {
        if (Date.now() > until) throw new Error(`ui: the event did not arrive:\n${text}`);
        const chunk = await reader.read();
        if (chunk.done) throw new Error('ui: the stream ended');
        text += decoder.decode(chunk.value, { stream: true });
      }
    };
    await waitFor((so) => so.includes('event: hello'));
    const fromRequest = [];
    const fromEvent = [];
    for (let i = 0; i < 15; i++) {
      text = '';
      const sent = Date.now();
      const trigger = fetch(`${url}/api/v1/pipelines/seeded-7/trigger`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      await waitFor((so) => so.includes('"event":"run-started"'));
      const arrived = Date.now();
      const data = JSON.parse(/^data: (.*"event":"run-started".*)$/m.exec(text)[1]);
      fromRequest.push(arrived - sent);
      fromEvent.push(arrived - Date.parse(data.data.at));
      await (await trigger).text();
      await waitFor((so) => so.includes('"event":"run-finished"'));
    }
    await reader.cancel();
    line(`ui       event to an open page's stream: ${fmt(median(fromEvent))} median, ${fmt(percentile(fromEvent, 90))} p90 after the event (target 300 ms); ${fmt(median(fromRequest))} median from the trigger request`);
    await onScreen(url, token, line);
  } finally {
    await new Promise((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}

/** The same in Chromium: from the trigger request to the new run's link in its row of the open pipelines page. */
async function onScreen(url, token, line) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    line('ui       (no playwright-core: the in-browser figure is skipped)');
    return;
  }
  const browser = await chromium.launch({ executablePath: process.env.FLOW_TEST_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${url}/ui/login?token=${token}`);
    await page.waitForURL(`${url}/`);
    await page.locator('#live[data-state="on"]').waitFor();
    const shown = [];
    for (let i = 0; i < 10; i++) {
      const sent = Date.now();
      const answer = await fetch(`${url}/api/v1/pipelines/seeded-9/trigger`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      const { run_id: id } = await answer.json();
      await page.waitForSelector(`tr[data-pipeline="seeded-9"] a[href="/runs/${id}"]`, { timeout: 30_000 });
      shown.push(Date.now() - sent);
      // The run ends quickly; let its end reach the page before the next one starts.
      await page.waitForSelector(`tr[data-pipeline="seeded-9"] a[href="/runs/${id}"] .badge.s-success`, { timeout: 30_000 });
    }
    line(`ui       run now to its row on the open pipelines page in Chromium: ${fmt(median(shown))} median, ${fmt(percentile(shown, 90))} p90 (target 300 ms for the event)`);
  } finally {
    await browser.close();
  }
}
