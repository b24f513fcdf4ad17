import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RetryBody } from '../../../src/api/deps.js';
import type { RunRecord, TaskRecord } from '../../../src/store/record.js';
import { summarize } from '../../../src/store/summary.js';
import { pipelineView, readStream, uiHarness, type UiHarness } from '../../helpers/ui.js';

let ui: UiHarness;
afterEach(() => ui?.close());

const t0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');
const idAt = (n: number): string => `${new Date(t0 + n * 60_000).toISOString().replace(/[-:]/g, '')}-${String(n).padStart(6, '0')}`;
const HOSTILE = '<script>alert(1)</script>';

function attempt(log: string, n: number, exit: number | null, error: string | null = null): TaskRecord['attempts'][number] {
  return { attempt: n, started_at: iso(t0 + n * 1000), ended_at: exit === null ? null : iso(t0 + n * 1000 + 500), exit_code: exit, signal: null, timed_out: false, log, pid: null, pid_start: null, error };
}

function record(n: number, status: RunRecord['status'], tasks: TaskRecord[], file = '/nowhere/etl.flow.yaml'): RunRecord {
  const running = status === 'running';
  return { id: idAt(n), pipeline: 'etl', file, trigger: 'schedule', logical_date: iso(t0 + n * 60_000), status, started_at: iso(t0 + n * 60_000), ended_at: running ? null : iso(t0 + n * 60_000 + 2000), duration_ms: running ? null : 2000, host: 'h', pid: 1, pid_start: null, boot_id: null, tasks, hooks: [] };
}

async function save(h: UiHarness, runs: RunRecord[]): Promise<void> {
  for (const run of runs) await h.control.store.writeRun(run);
  await h.control.store.changeIndex((data) => {
    data.runs = runs.map(summarize).sort((a, b) => (a.id < b.id ? -1 : 1));
  });
}

/** A pipeline file a → b on disk, a log for its attempts, and a harness whose `etl` is that file. */
async function setUp(options: { readOnly?: boolean; yaml?: string } = {}): Promise<{ file: string; log: string }> {
  ui = await uiHarness([], options.readOnly === true ? { readOnly: true } : {});
  const dir = join(ui.home, 'pipelines');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'etl.flow.yaml');
  writeFileSync(file, options.yaml ?? `# ${HOSTILE}\ntasks:\n  a:\n    run: echo a\n  b:\n    run: echo b\n    depends_on: [a]\n`);
  ui.control.views.push(pipelineView('etl', { file, tasks: ['a', 'b'] }));
  const log = join(ui.home, 'a.1.log');
  writeFileSync(log, Buffer.concat([Buffer.from(`${HOSTILE}\n\u001b[31mred\u001b[0m \u001b]0;title\u0007`), Buffer.from([0xff, 0xfe, 0x0a])]));
  return { file, log };
}

describe('the Pipeline view', () => {
  it('shows the grid, the graph coloured by the newest run, the trend and the file, escaped', async () => {
    const { file, log } = await setUp();
    await save(ui, [
      record(1, 'failed', [{ id: 'a', status: 'failed', reason: null, attempts: [attempt(log, 1, 1, 'exit code 1')] }, { id: 'b', status: 'upstream_failed', reason: 'upstream failed', attempts: [] }], file),
      record(2, 'success', [{ id: 'a', status: 'success', reason: null, attempts: [attempt(log, 1, 0)] }, { id: 'b', status: 'success', reason: null, attempts: [attempt(log, 1, 0)] }], file),
    ]);
    const response = await ui.request('/pipelines/etl');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`data-live="pipeline:etl"`);
    expect(html).toContain(`class="cell s-upstream_failed" href="/runs/${idAt(1)}#task-b"`);
    expect(html).toContain('class="node s-success" data-task="b"');
    expect(html).toContain('50% of the last 2 ended runs succeeded');
    expect(html).toContain('# &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(HOSTILE);
    // Another run selected for the graph.
    const older = await (await ui.request(`/pipelines/etl?run=${idAt(1)}`)).text();
    expect(older).toContain('class="node s-upstream_failed" data-task="b"');
  });

  it('pages through older runs', async () => {
    await setUp();
    await save(ui, Array.from({ length: 30 }, (_, n) => record(n, 'success', [{ id: 'a', status: 'success', reason: null, attempts: [] }])));
    const first = await (await ui.request('/pipelines/etl')).text();
    expect(first.match(/data-run="/g)).toHaveLength(25 * 2);
    expect(first).toContain(`href="/pipelines/etl?before=${idAt(5)}"`);
    const second = await (await ui.request(`/pipelines/etl?before=${idAt(5)}`)).text();
    expect(second.match(/data-run="/g)).toHaveLength(5 * 2);
    expect(second).toContain('>Newest runs<');
  });

  it('shows load problems at file:line', async () => {
    const { file } = await setUp({ yaml: 'tasks:\n  a:\n    run: echo a\n    depends_on: [nope]\n' });
    const html = await (await ui.request('/pipelines/etl')).text();
    expect(html).toContain(`${file}:4:`);
    expect(html).toContain('nope');
  });

  it('answers an unknown pipeline with a 404 page that links back', async () => {
    await setUp();
    const response = await ui.request('/pipelines/nothing-here');
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain('No pipeline &quot;nothing-here&quot;');
    expect(html).toContain('href="/"');
  });
});

describe('the Run view', () => {
  it('shows graph, Gantt and every attempt with why it failed, escaped, and the retry buttons', async () => {
    const { file, log } = await setUp();
    const run = record(1, 'failed', [
      { id: 'a', status: 'failed', reason: HOSTILE, attempts: [attempt(log, 1, 2, 'exit code 2'), attempt(log, 2, 3, `exit code 3: ${HOSTILE}`)] },
      { id: 'b', status: 'upstream_failed', reason: 'upstream task "a" failed', attempts: [] },
    ], file);
    await save(ui, [run]);
    const response = await ui.request(`/runs/${run.id}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('exit code 3: &lt;script&gt;');
    expect(html).toContain(`data-live="run:${run.id}"`);
    expect(html).toContain('class="node s-failed" data-task="a"');
    expect(html).toContain('data-from="a" data-to="b"');
    expect(html.match(/class="bar s-failed"/g)).toHaveLength(2);
    expect(html).toContain(`href="/runs/${run.id}/tasks/a/2"`);
    expect(html).toContain('value="downstream"');
    expect(html).not.toContain('/stop"');
    // A unique prefix names the run, as on the command line.
    expect((await ui.request(`/runs/${run.id.slice(0, 20)}`)).status).toBe(200);
  });

  it('stop and retry go through the control API', async () => {
    const { log } = await setUp();
    const running = record(1, 'running', [{ id: 'a', status: 'running', reason: null, attempts: [attempt(log, 1, null)] }]);
    await save(ui, [running]);
    expect(await (await ui.request(`/runs/${running.id}`)).text()).toContain(`action="/ui/runs/${running.id}/stop"`);
    const calls: string[] = [];
    Object.assign(ui.control, {
      stop: (ref: string) => (calls.push(`stop ${ref}`), Promise.resolve({ run_id: running.id, pipeline: 'etl', how: 'aborted', pid: 1 })),
      retry: (ref: string, body: RetryBody) => (calls.push(`retry ${ref} ${JSON.stringify(body)}`), Promise.resolve({ run_id: running.id, pipeline: 'etl', tasks: ['a', 'b'] })),
    });
    const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const stop = await ui.request(`/ui/runs/${running.id}/stop`, form({ back: `/runs/${running.id}` }));
    expect(stop.status).toBe(303);
    expect(stop.headers.get('location')).toBe(`/runs/${running.id}`);
    await ui.request(`/ui/runs/${running.id}/retry`, form({ scope: 'failed', task: 'a' }));
    await ui.request(`/ui/runs/${running.id}/retry`, form({ scope: 'task', task: 'a' }));
    const json = await ui.request(`/ui/runs/${running.id}/retry`, { ...form({ scope: 'downstream', task: 'a' }), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-flow-client': '1' } });
    expect(await json.json()).toMatchObject({ ok: true, message: `retrying a, b in run ${running.id}` });
    expect(calls).toEqual([`stop ${running.id}`, `retry ${running.id} {}`, `retry ${running.id} {"task":"a","downstream":false}`, `retry ${running.id} {"task":"a","downstream":true}`]);
  });

  it('read-only: no buttons, and their requests are refused', async () => {
    const { log } = await setUp({ readOnly: true });
    const running = record(1, 'running', [{ id: 'a', status: 'running', reason: null, attempts: [attempt(log, 1, null)] }]);
    await save(ui, [running]);
    const html = await (await ui.request(`/runs/${running.id}`)).text();
    expect(html).not.toContain('/ui/runs/');
    const stop = await ui.request(`/ui/runs/${running.id}/stop`, { method: 'POST', body: new URLSearchParams({}) });
    expect(stop.status).toBe(403);
    expect((await ui.request(`/ui/runs/${running.id}/retry`, { method: 'POST', body: new URLSearchParams({ task: 'a' }) })).status).toBe(403);
  });

  it('answers an unknown run with a 404 page that links back', async () => {
    await setUp();
    const response = await ui.request('/runs/20991231T000000.000Z-zzzzzz');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('href="/"');
  });
});

describe('the Log view', () => {
  it('shows hostile bytes and terminal escapes escaped, never raw', async () => {
    const { log } = await setUp();
    const run = record(1, 'failed', [{ id: 'a', status: 'failed', reason: null, attempts: [attempt(log, 1, 1, 'exit code 1')] }]);
    await save(ui, [run]);
    const html = await (await ui.request(`/runs/${run.id}/tasks/a/1`)).text();
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;\n<span class="a-f1">red</span> \ufffd\ufffd\n</pre>');
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('\u001b');
    const raw = await ui.request(`/runs/${run.id}/tasks/a/1/raw`);
    expect(raw.headers.get('content-disposition')).toBe('attachment; filename="etl-a.1.log"');
    expect(raw.headers.get('content-type')).toContain('text/plain');
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await raw.arrayBuffer()).subarray(0, HOSTILE.length).toString()).toBe(HOSTILE);
  });

  it('opens a 1 GiB log on its tail, with "load earlier" that meets it exactly', async () => {
    await setUp();
    const big = join(ui.home, 'big.log');
    writeFileSync(big, '');
    truncateSync(big, 1024 ** 3);
    appendFileSync(big, Array.from({ length: 40_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const run = record(1, 'success', [{ id: 'a', status: 'success', reason: null, attempts: [attempt(big, 1, 0)] }]);
    await save(ui, [run]);
    const html = await (await ui.request(`/runs/${run.id}/tasks/a/1`)).text();
    expect(html).toContain('line 39999\n</pre>');
    const start = /href="[^"]*\?end=(\d+)"/.exec(html)?.[1];
    expect(Number(start)).toBeGreaterThan(1024 ** 3);
    const earlier = (await (await ui.request(`/runs/${run.id}/tasks/a/1?end=${start}&fragment=1`)).json()) as { start: number; end: number; html: string };
    expect(earlier.end).toBe(Number(start));
    const firstShown = Number(/>line (\d+)\n/.exec(html)?.[1]);
    expect(earlier.html.endsWith(`line ${firstShown - 1}\n`)).toBe(true);
  });

  it('answers an unknown task or attempt with a 404 page that links back to the run', async () => {
    const { log } = await setUp();
    const run = record(1, 'success', [{ id: 'a', status: 'success', reason: null, attempts: [attempt(log, 1, 0)] }]);
    await save(ui, [run]);
    for (const path of [`/runs/${run.id}/tasks/a/9`, `/runs/${run.id}/tasks/zz/1`, `/runs/${run.id}/tasks/a/x`, `/runs/${run.id}/tasks/a/9/raw`]) {
      const response = await ui.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain(`href="/runs/${run.id}"`);
    }
  });

  it('streams a running attempt by byte offset through the event stream, resumes exactly, and ends', async () => {
    const { log } = await setUp();
    const run = record(1, 'running', [{ id: 'a', status: 'running', reason: null, attempts: [attempt(log, 1, null)] }]);
    await save(ui, [run]);
    const page = await (await ui.request(`/runs/${run.id}/tasks/a/1`)).text();
    const next = Number(/data-next="(\d+)"/.exec(page)?.[1]);
    const topic = `log:${run.id}/a/1`;
    expect(page).toContain(`data-topic="${topic}"`);
    const stream = await ui.request(`/ui/events?topic=${encodeURIComponent(topic)}&resume=${encodeURIComponent(new URLSearchParams([[topic, String(next)]]).toString())}`);
    appendFileSync(log, `more ${HOSTILE}\n`);
    const text = await readStream(stream, 'the appended line', (got) => got.includes('more'));
    expect(text).toContain('more &#60;script&#62;');
    expect(text).not.toContain('<script>');
    const id = /^id: (.*)$/m.exec(text)?.[1] ?? '';
    expect(new URLSearchParams(id).get(topic)).toBe(String(next + `more ${HOSTILE}\n`.length));
    // A reconnect with the last id resumes after it: the next line only, then the end.
    appendFileSync(log, 'last line\n');
    const again = await ui.request(`/ui/events?topic=${encodeURIComponent(topic)}`, { headers: { 'last-event-id': id } });
    let ended = false;
    const rest = await readStream(again, 'the end of the attempt', (got) => {
      // The attempt ends once the stream follows it (seen by its first piece).
      if (!ended && got.includes('last line')) {
        ended = true;
        ui.control.hub.publish({ kind: 'attempt-finished', run_id: run.id, pipeline: 'etl', at: iso(t0), task: 'a', attempt: 1 });
      }
      return got.includes('"event":"end"');
    });
    expect(rest).toContain('last line');
    expect(rest).not.toContain('more');
  });
  it('ends the stream of an attempt no event reports once its record says it ended (a run of a terminal)', async () => {
    const { log } = await setUp();
    const run = record(2, 'running', [{ id: 'a', status: 'running', reason: null, attempts: [attempt(log, 1, null)] }]);
    await save(ui, [run]);
    const topic = `log:${run.id}/a/1`;
    const stream = await ui.request(`/ui/events?topic=${encodeURIComponent(topic)}`);
    let written = false;
    const text = await readStream(stream, 'the end read from the record', (got) => {
      if (!written && got.includes('event: hello')) {
        written = true;
        appendFileSync(log, 'done\n');
        void save(ui, [record(2, 'success', [{ id: 'a', status: 'success', reason: null, attempts: [attempt(log, 1, 0)] }])]);
      }
      return got.includes('"event":"end"');
    });
    expect(text).toContain('done');
  });
});
