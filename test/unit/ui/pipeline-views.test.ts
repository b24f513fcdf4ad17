import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { HistoryStore } from '../../../src/store/history.js';
import type { RunRecord, TaskRecord } from '../../../src/store/record.js';
import { summarize } from '../../../src/store/summary.js';
import { Grid } from '../../../src/ui/pipeline/grid.js';
import { recentRuns, trendOf } from '../../../src/ui/pipeline/recent-runs.js';
import { TrendChart } from '../../../src/ui/pipeline/trend-svg.js';
import { ganttOf } from '../../../src/ui/run/gantt.js';
import { Gantt } from '../../../src/ui/run/gantt-svg.js';
import { html } from './render.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-ui-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

function attempt(n: number, start: number, end: number | null, exit: number | null): TaskRecord['attempts'][number] {
  return { attempt: n, started_at: iso(start), ended_at: end === null ? null : iso(end), exit_code: exit, signal: null, timed_out: false, log: '/dev/null', pid: null, pid_start: null, error: exit === 0 || exit === null ? null : `exit code ${exit}` };
}

function run(pipeline: string, n: number, status: RunRecord['status'], tasks: TaskRecord[] = []): RunRecord {
  const at = t0 + n * 60_000;
  const id = `${new Date(at).toISOString().replace(/[-:]/g, '')}-${String(n).padStart(6, '0')}`;
  return { id, pipeline, file: '/p.flow.yaml', trigger: 'schedule', logical_date: iso(at), status, started_at: iso(at), ended_at: status === 'running' ? null : iso(at + 1000 * (n + 1)), duration_ms: status === 'running' ? null : 1000 * (n + 1), host: 'h', pid: 1, pid_start: null, boot_id: null, tasks, hooks: [] };
}

describe('a pipeline runs, a page at a time', () => {
  test('from the index, and past it from the run files by name, newest first with an older-page cursor', async () => {
    const store = await HistoryStore.open(join(dir, 'home'));
    const runs = Array.from({ length: 30 }, (_, n) => run(n % 2 === 0 ? 'etl' : 'other', n, n % 4 === 0 ? 'failed' : 'success', [{ id: 'main', status: 'success', reason: null, attempts: [] }]));
    for (const record of runs) await store.writeRun(record);
    // An index that kept only the newest 4 runs, as a large history's does.
    await store.changeIndex((data) => {
      data.runs = runs.slice(-4).map(summarize);
      data.truncated = true;
    });
    const etl = runs.filter((record) => record.pipeline === 'etl').reverse();
    const first = await recentRuns(store, 'etl', { limit: 10 });
    expect(first.runs.map((record) => record.id)).toEqual(etl.slice(0, 10).map((record) => record.id));
    expect(first.older).toBe(etl[9]?.id);
    const second = await recentRuns(store, 'etl', { limit: 10, before: first.older ?? undefined });
    expect(second.runs.map((record) => record.id)).toEqual(etl.slice(10).map((record) => record.id));
    expect(second.older).toBeNull();
    expect(await recentRuns(store, 'nothing', { limit: 10 })).toEqual({ runs: [], older: null });

    const trend = trendOf(first.runs);
    expect(trend).toMatchObject({ ended: 10, succeeded: 5 });
    const chart = html(TrendChart({ trend, runHref: (id) => `/runs/${id}` }));
    expect(chart).toContain('50% of the last 10 ended runs succeeded');
    expect(chart.match(/<rect/g)).toHaveLength(10);
  });
});

describe('the grid', () => {
  test('runs oldest left, the pipeline tasks first, hostile ids escaped, cells linked and tagged', () => {
    const hostile = '"><img src=x onerror=alert(1)>';
    const runs = [
      run('p', 2, 'running', [{ id: 'a', status: 'running', reason: null, attempts: [] }]),
      run('p', 1, 'failed', [{ id: 'a', status: 'failed', reason: null, attempts: [] }, { id: hostile, status: 'upstream_failed', reason: null, attempts: [] }]),
    ];
    const page = html(Grid({ runs, tasks: ['a'], runHref: (id) => `/runs/${id}`, taskHref: (id, task) => `/runs/${id}#task-${encodeURIComponent(task)}` }));
    expect(page).not.toContain('<img');
    expect(page.indexOf(runs[1]?.id as string)).toBeLessThan(page.indexOf(runs[0]?.id as string));
    expect(page).toContain(`class="cell s-running" href="/runs/${runs[0]?.id}#task-a"`);
    expect(page).toContain('class="cell s-upstream_failed"');
    expect(page).toContain('<td class="none">');
  });
});

describe('the Gantt chart', () => {
  test('one bar per attempt on its task row, from the attempt times; a running attempt ends now', () => {
    const record = run('p', 0, 'running', [
      { id: 'late', status: 'running', reason: null, attempts: [attempt(1, t0 + 5000, null, null)] },
      { id: 'flaky', status: 'success', reason: null, attempts: [attempt(1, t0, t0 + 1000, 1), attempt(2, t0 + 2000, t0 + 4000, 0)] },
      { id: 'never', status: 'pending', reason: null, attempts: [] },
    ]);
    const data = ganttOf(record, t0 + 10_000);
    expect(data.rows.map((row) => row.task)).toEqual(['flaky', 'late']);
    expect(data.rows[0]?.bars.map((bar) => [bar.start, bar.end, bar.status])).toEqual([[0, 1000, 'failed'], [2000, 4000, 'success']]);
    expect(data.rows[1]?.bars[0]).toMatchObject({ start: 5000, end: 10_000, status: 'running', running: true });
    expect(data.span).toBe(10_000);
    const svg = html(Gantt({ data }));
    expect(svg.match(/<rect/g)).toHaveLength(3);
    expect(svg).toContain('flaky #1: failed, 1s');
  });
});
