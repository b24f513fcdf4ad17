// Seeds a FLOW_HOME with `pipelines × perPipeline` finished runs through the store's own layout and index, for the
// history benchmark. Run files are written without fsync (a benchmark fixture, not history that matters); the
// index is written through the store, under its lock.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryStore } from '../src/store/history.js';
import { runFile } from '../src/store/layout.js';
import { summarize } from '../src/store/summary.js';
import type { RunRecord } from '../src/store/record.js';

export async function seed(home: string, pipelines: number, perPipeline: number): Promise<void> {
  const store = await HistoryStore.open(home);
  const start = Date.now() - 30 * 86_400_000;
  const all: { id: string; record: RunRecord }[] = [];
  let n = 0;
  for (let p = 0; p < pipelines; p++) {
    const pipeline = `seeded-${p}`;
    mkdirSync(join(store.layout.runs, pipeline), { recursive: true });
    for (let r = 0; r < perPipeline; r++) {
      const at = new Date(start + n * 25_000);
      const id = `${at.toISOString().replace(/[-:]/g, '')}-${(n++).toString(36).padStart(6, '0')}`;
      const iso = at.toISOString().replace('Z', '+00:00');
      const record: RunRecord = {
        id, pipeline, file: `/srv/${pipeline}.flow.yaml`, trigger: 'schedule', logical_date: iso, status: r % 10 === 0 ? 'failed' : 'success',
        started_at: iso, ended_at: iso, duration_ms: 1200, host: 'bench', pid: 1, pid_start: null, boot_id: null,
        tasks: [{ id: 'main', status: r % 10 === 0 ? 'failed' : 'success', reason: null, attempts: [{ attempt: 1, started_at: iso, ended_at: iso, exit_code: r % 10 === 0 ? 1 : 0, signal: null, timed_out: false, log: '/dev/null', pid: null, pid_start: null, error: null }] }],
        hooks: [],
      };
      writeFileSync(runFile(store.layout, pipeline, id), JSON.stringify(record));
      all.push({ id, record });
    }
  }
  all.sort((a, b) => (a.id < b.id ? -1 : 1));
  await store.changeIndex((data) => {
    data.runs = all.slice(-1000).map((item) => summarize(item.record));
    data.truncated = pipelines * perPipeline > 1000;
  });
}
