// The web UI's Pipeline, Run and Log views, timed in-process (server time: request in, whole page out) over a large
// history: 500 pipelines with 100,000 runs (the index keeps only the newest 1000), a 1000-task run, a 1 GiB log.
// Bundled by bench/ui-views.mjs like seed-history.ts; each figure is a median, printed beside its target.
import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiDeps, PipelineView } from '../src/api/deps.js';
import { EventHub } from '../src/api/event-hub.js';
import { FlowError } from '../src/errors.js';
import { HistoryStore } from '../src/store/history.js';
import type { RunRecord } from '../src/store/record.js';
import { summarize } from '../src/store/summary.js';
import { createUiApp } from '../src/ui/app.js';
import { seed } from './seed-history.js';

const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz';
const HOST = '127.0.0.1:8484';

function view(name: string, file: string, tasks: string[]): PipelineView {
  return { name, file, description: null, schedule: '*/5 * * * *', timezone: 'UTC', next: [], paused: false, paused_at: null, tasks, params: {}, error: null, active_runs: 0, last_run: null };
}

/** Reads only: the views measured here never act. */
function readOnlyDeps(store: HistoryStore, views: Map<string, PipelineView>): ApiDeps {
  const hub = new EventHub();
  const refuse = (): Promise<never> => Promise.reject(new FlowError('E_USAGE', 'the benchmark does not act'));
  return {
    store,
    pipelines: () => Promise.resolve([...views.values()]),
    pipeline: (name) => {
      const found = views.get(name);
      return found === undefined ? Promise.reject(new FlowError('E_PIPELINE_NOT_FOUND', `no pipeline ${name}`)) : Promise.resolve(found);
    },
    trigger: refuse,
    pause: refuse,
    unpause: refuse,
    stop: refuse,
    retry: refuse,
    subscribe: (listener) => hub.subscribe(listener),
  };
}

function wideRun(file: string, log: string, tasks: number): RunRecord {
  const at = Date.now() - 3600_000;
  const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');
  const id = `${new Date(at).toISOString().replace(/[-:]/g, '')}-wide00`;
  return {
    id, pipeline: 'wide', file, trigger: 'api', logical_date: iso(at), status: 'failed', started_at: iso(at), ended_at: iso(at + 600_000), duration_ms: 600_000,
    host: 'bench', pid: 1, pid_start: null, boot_id: null, hooks: [],
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `t${i}`, status: i % 97 === 0 ? 'failed' : 'success', reason: null,
      attempts: [{ attempt: 1, started_at: iso(at + i * 500), ended_at: iso(at + i * 500 + 400), exit_code: i % 97 === 0 ? 1 : 0, signal: null, timed_out: false, log, pid: null, pid_start: null, error: i % 97 === 0 ? 'exit code 1' : null }],
    })),
  };
}

function middle(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

async function timed(times: number, request: () => Promise<Response>): Promise<{ median: number; status: number; bytes: number }> {
  const ms: number[] = [];
  let status = 0;
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const response = await request();
    const text = await response.text();
    ms.push(performance.now() - started);
    status = response.status;
    bytes = text.length;
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)] as number, status, bytes };
}

export async function uiViewsBench(work: string, line: (text: string) => void): Promise<void> {
  const home = join(work, 'home-ui-views');
  const dir = join(work, 'ui-views-pipelines');
  mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  await seed(home, 500, 200);
  line(`ui       seeded 500 pipelines with 100,000 runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const store = await HistoryStore.open(home);
  const views = new Map<string, PipelineView>();
  const gridFile = join(dir, 'seeded-250.flow.yaml');
  writeFileSync(gridFile, 'tasks:\n  main:\n    run: "true"\n');
  views.set('seeded-250', view('seeded-250', gridFile, ['main']));

  const wideFile = join(dir, 'wide.flow.yaml');
  const tasks = 1000;
  writeFileSync(wideFile, `tasks:\n${Array.from({ length: tasks }, (_, i) => `  t${i}:\n    run: "true"\n${i > 0 ? `    depends_on: [t${Math.floor((i - 1) / 3)}]\n` : ''}`).join('')}`);
  views.set('wide', view('wide', wideFile, Array.from({ length: tasks }, (_, i) => `t${i}`)));
  const log = join(work, 'ui-big.log');
  writeFileSync(log, '');
  truncateSync(log, 1024 ** 3);
  const tail = Array.from({ length: 50_000 }, (_, i) => `line ${i} \u001b[32mok\u001b[0m`).join('\n');
  appendFileSync(log, tail);
  // The same last bytes without the gigabyte before them: the page shows the same window of both.
  const small = join(work, 'ui-small.log');
  writeFileSync(small, tail);
  const run = wideRun(wideFile, log, tasks);
  await store.writeRun(run);
  await store.indexRun(summarize(run));

  const made = createUiApp({ api: readOnlyDeps(store, views), home, loadErrors: () => Promise.resolve([]) }, { token: TOKEN, listen: { host: '127.0.0.1', port: 8484 } });
  const get = (path: string) => () => Promise.resolve(made.app.request(`http://${HOST}${path}`, { headers: { host: HOST, authorization: `Bearer ${TOKEN}` } }));
  try {
    const grid = await timed(15, get('/pipelines/seeded-250'));
    line(`ui       Pipeline page (grid of 25 runs, trend of 50), 500 pipelines / 100,000 runs: median ${grid.median.toFixed(1)} ms server time, ${grid.bytes} bytes, HTTP ${grid.status} (target <= 150 ms)`);
    const wide = await timed(15, get(`/runs/${run.id}`));
    line(`ui       Run page of a ${tasks}-task run (graph, Gantt, attempts): median ${wide.median.toFixed(1)} ms server time, ${(wide.bytes / 1024).toFixed(0)} KiB, HTTP ${wide.status} (target <= 300 ms)`);
    run.tasks[2]!.attempts[0]!.log = small;
    await store.writeRun(run);
    // Side by side, alternating, so both see the same load.
    const bigMs: number[] = [];
    const tinyMs: number[] = [];
    for (let i = 0; i < 15; i++) {
      bigMs.push((await timed(1, get(`/runs/${run.id}/tasks/t1/1`))).median);
      tinyMs.push((await timed(1, get(`/runs/${run.id}/tasks/t2/1`))).median);
    }
    const big = { median: middle(bigMs) };
    const tiny = { median: middle(tinyMs) };
    line(`ui       Log page of a 1 GiB log: median ${big.median.toFixed(1)} ms server time; of a ${(Buffer.byteLength(tail) / 1024).toFixed(0)} KiB log with the same last 256 KiB: ${tiny.median.toFixed(1)} ms -> ${(big.median / tiny.median).toFixed(2)}x (target ~1x: only the tail is read)`);
  } finally {
    made.close();
  }
}
