import { describe, expect, test } from 'vitest';
import { planRun } from '../../src/engine/plan.js';
import { normalizePipeline } from '../../src/pipeline/normalize.js';
import { findCycles } from '../../src/pipeline/rules.js';
import { closest } from '../../src/util/suggest.js';
import { retryDelayMs } from '../../src/engine/retry.js';

const pipeline = normalizePipeline(
  {
    concurrency: 2,
    tasks: {
      a: { run: 'true' },
      b: { run: 'true', depends_on: ['a'] },
      c: { run: 'true', depends_on: ['a'] },
      d: { depends_on: ['b', 'c'] },
      e: { run: 'true', depends_on: ['d'], trigger_rule: 'all_done' },
    },
  },
  '/srv/p.flow.yaml',
  'yaml',
);

describe('planner', () => {
  test('stages group tasks that can run together', () => {
    const plan = planRun(pipeline);
    expect(plan.stages).toEqual([['a'], ['b', 'c'], ['d'], ['e']]);
    expect(plan.concurrency).toBe(2);
    expect(plan.tasks.find((task) => task.id === 'd')?.kind).toBe('empty');
  });

  test('--only keeps dependencies inside the selection; --from takes the downstream', () => {
    expect(planRun(pipeline, { only: ['b', 'd'] }).tasks.map((task) => [task.id, task.depends_on])).toEqual([['b', []], ['d', ['b']]]);
    expect(planRun(pipeline, { from: 'c' }).tasks.map((task) => task.id)).toEqual(['c', 'd', 'e']);
    expect(() => planRun(pipeline, { only: ['x'] })).toThrow(/has no task "x"/);
  });

  test('a chain of 2000 tasks plans without exhausting the stack', () => {
    const tasks: Record<string, { run: string; depends_on?: string[] }> = {};
    for (let i = 0; i < 2000; i++) tasks[`t${i}`] = i === 0 ? { run: 'true' } : { run: 'true', depends_on: [`t${i - 1}`] };
    expect(planRun(normalizePipeline({ tasks }, '/x.flow.yaml', 'yaml')).stages).toHaveLength(2000);
  });
});

describe('rules and helpers', () => {
  test('cycles are reported once each, in run order, from the first task in the file', () => {
    const edges = new Map([['a', ['c']], ['b', ['a']], ['c', ['b']], ['d', ['d']]]);
    expect(findCycles(['a', 'b', 'c', 'd'], edges)).toEqual([['a', 'b', 'c', 'a'], ['d', 'd']]);
  });

  test('did-you-mean finds typos but not unrelated words', () => {
    expect(closest('retires', ['retries', 'timeout'])).toBe('retries');
    expect(closest('dependson', ['depends_on', 'env'])).toBe('depends_on');
    expect(closest('x', ['env', 'cwd'])).toBeUndefined();
  });

  test('exponential back-off doubles with jitter and respects the cap', () => {
    const task = { retryDelayMs: 1000, retryBackoff: 'exponential' as const, maxRetryDelayMs: 5000 };
    expect(retryDelayMs(task, 1, () => 0.5)).toBe(1000);
    expect(retryDelayMs(task, 2, () => 0.5)).toBe(2000);
    expect(retryDelayMs(task, 3, () => 0)).toBe(3600);
    expect(retryDelayMs(task, 10, () => 1)).toBe(5000);
    expect(retryDelayMs({ ...task, retryBackoff: 'fixed' }, 5)).toBe(1000);
  });
});
