import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { IndexBatch } from '../../../src/store/index-batch.js';
import { HistoryStore } from '../../../src/store/history.js';
import type { RunSummary } from '../../../src/store/summary.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function summary(n: number, status = 'running'): RunSummary {
  const id = `20261201T0000${String(Math.floor(n / 1000) % 60).padStart(2, '0')}.${String(n % 1000).padStart(3, '0')}Z-abcdef`;
  return {
    id, pipeline: `p${n}`, file: '/x.flow.yaml', trigger: 'schedule', logical_date: '2026-12-01T00:00:00Z', status, started_at: '2026-12-01T00:00:00Z',
    ended_at: null, duration_ms: null, host: 'h', pid: 1, pid_start: null, boot_id: null, hooks: [], failed_tasks: [],
  } as RunSummary;
}

describe('index writes gathered', () => {
  test('runs told while a change is under way go into the next one, in order, newest state of each', async () => {
    const changes: string[][] = [];
    const batch = new IndexBatch(async (summaries) => {
      changes.push(summaries.map((entry) => `${entry.pipeline}:${entry.status}`));
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const told = [batch.add(summary(0))];
    for (let n = 1; n < 100; n++) told.push(batch.add(summary(n)));
    told.push(batch.add(summary(5, 'success')));
    await Promise.all(told);
    expect(changes).toHaveLength(2);
    expect(changes[0]).toEqual(['p0:running']);
    expect(changes[1]).toHaveLength(99);
    expect(changes[1]?.at(-1)).toBe('p5:success');
  });

  test('a change that fails fails every run in it; the next change goes on', async () => {
    let calls = 0;
    const batch = new IndexBatch(async () => {
      calls++;
      if (calls === 2) throw new Error('disk full');
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    const first = batch.add(summary(0));
    const failed = [batch.add(summary(1)), batch.add(summary(2))].map((promise) => promise.then(() => 'ok', (error: Error) => error.message));
    await first;
    expect(await Promise.all(failed)).toEqual(['disk full', 'disk full']);
    await batch.add(summary(3));
    expect(calls).toBe(3);
  });

  test('a store told of 300 runs at once indexes every one', async () => {
    const home = mkdtempSync(join(tmpdir(), 'flow-batch-'));
    dirs.push(home);
    const store = await HistoryStore.open(home);
    await Promise.all(Array.from({ length: 300 }, (_, n) => store.indexRun(summary(n))));
    const index = JSON.parse(readFileSync(join(home, 'history.json'), 'utf8')) as { runs: RunSummary[] };
    expect(index.runs).toHaveLength(300);
  });
});
