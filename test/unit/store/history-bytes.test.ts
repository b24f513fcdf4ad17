/**
 * A run's history writes grow with its number of tasks, not with its square: the bytes this process writes
 * (/proc/self/io wchar: every write(2), whatever the file system) while a run of n tasks is recorded, per task,
 * stay the same from 400 tasks to 4,000. The run is spread over many turns of the event loop and a few seconds of
 * real time, so a recorder that rewrote the whole record every interval would show it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { newRunId } from '../../../src/engine/run-id.js';
import type { Plan } from '../../../src/engine/plan.js';
import { HistoryStore } from '../../../src/store/history.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function written(): number {
  return Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1]);
}

async function bytesPerTask(n: number): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'flow-bytes-'));
  dirs.push(home);
  const store = await HistoryStore.open(home);
  await store.prepare('p');
  const recorder = store.recorder();
  const ids = Array.from({ length: n }, (_, i) => `task-${i}`);
  const before = written();
  const at = new Date();
  const plan = { tasks: ids.map((id) => ({ id })) } as unknown as Plan;
  recorder.sink({ kind: 'run-started', at, run: { runId: newRunId(at), pipeline: 'p', file: join(home, 'p.flow.yaml'), trigger: 'manual', logicalDate: at.toISOString(), plan } });
  await recorder.started();
  for (const [i, task] of ids.entries()) {
    const log = join(home, `${task}.1.log`);
    recorder.sink({ kind: 'task-started', at: new Date(), task, attempt: 1, log, pid: 1000 + i, pidStart: 12345 });
    const outcome = { exitCode: 0, signal: undefined, timedOut: false, cancelled: false, error: undefined };
    recorder.sink({ kind: 'attempt-finished', at: new Date(), task, attempt: 1, startedAt: at, log, outcome, reason: undefined, retryInMs: undefined });
    recorder.sink({ kind: 'task-finished', at: new Date(), task, status: 'success', attempts: 1, reason: undefined });
    // Real time passes as the run runs: 4,000 tasks take about a second here, 400 a tenth of it.
    if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  recorder.sink({ kind: 'run-finished', at: new Date(), status: 'success', failed: [] });
  await recorder.close();
  return (written() - before) / n;
}

describe('history writes', () => {
  test('bytes written per task do not grow with the number of tasks', async () => {
    const small = await bytesPerTask(400);
    const large = await bytesPerTask(4000);
    // About 1.5 KB a task: three journal lines as it runs and its part of the final record.
    expect(large).toBeLessThan(4096);
    expect(large / small).toBeLessThan(1.5);
  });
});
