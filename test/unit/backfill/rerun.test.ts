import { describe, expect, test } from 'vitest';
import type { TaskStatus } from '../../../src/engine/events.js';
import { planRun } from '../../../src/engine/plan.js';
import { rerunScope } from '../../../src/engine/rerun.js';
import { normalizePipeline } from '../../../src/pipeline/normalize.js';

// extract -> load -> publish, load -> report (all_done), side alone.
const pipeline = normalizePipeline(
  {
    tasks: {
      extract: { run: 'true' },
      load: { run: 'true', depends_on: ['extract'] },
      publish: { run: 'true', depends_on: ['load'] },
      report: { run: 'true', depends_on: ['load'], trigger_rule: 'all_done' },
      side: { run: 'true' },
    },
  },
  '/srv/etl.flow.yaml',
  'yaml',
);
const plan = planRun(pipeline);
const failed = new Map<string, TaskStatus>([
  ['extract', 'success'],
  ['load', 'failed'],
  ['publish', 'upstream_failed'],
  ['report', 'success'],
  ['side', 'success'],
]);

describe('rerunScope', () => {
  test('by default: what did not finish well, and what downstream of it did not succeed', () => {
    expect(rerunScope(plan, failed)).toEqual(['load', 'publish']);
    const stopped = new Map<string, TaskStatus>([...failed, ['load', 'cancelled'], ['publish', 'cancelled'], ['side', 'interrupted']]);
    expect(rerunScope(plan, stopped)).toEqual(['load', 'publish', 'side']);
  });

  test('--downstream takes every task after, successful ones included', () => {
    expect(rerunScope(plan, failed, { downstream: true })).toEqual(['load', 'publish', 'report']);
    expect(rerunScope(plan, failed, { task: 'extract', downstream: true })).toEqual(['extract', 'load', 'publish', 'report']);
  });

  test('--task: that task, whatever its status, and what after it never ran', () => {
    expect(rerunScope(plan, failed, { task: 'side' })).toEqual(['side']);
    expect(rerunScope(plan, failed, { task: 'extract' })).toEqual(['extract', 'load', 'publish']);
  });

  test('a run that succeeded has nothing to retry by default', () => {
    const ok = new Map<string, TaskStatus>(plan.tasks.map((task) => [task.id, 'success']));
    expect(rerunScope(plan, ok)).toEqual([]);
  });
});
