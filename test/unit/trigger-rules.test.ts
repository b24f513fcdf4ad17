import { describe, expect, test } from 'vitest';
import type { TaskStatus } from '../../src/engine/events.js';
import { decide } from '../../src/engine/trigger-rules.js';
import type { TriggerRule } from '../../src/pipeline/types.js';

const S: TaskStatus = 'success';
const F: TaskStatus = 'failed';
const U: TaskStatus = 'upstream_failed';
const R: TaskStatus = 'running';

describe('trigger rules', () => {
  test.each<[TriggerRule, TaskStatus[], string]>([
    ['all_success', [S, S], 'run'],
    ['all_success', [S, R], 'wait'],
    ['all_success', [F, R], 'skip'],
    ['all_success', [U, S], 'skip'],
    ['all_done', [S, F], 'run'],
    ['all_done', [S, R], 'wait'],
    ['all_failed', [F, U], 'run'],
    ['all_failed', [F, R], 'wait'],
    ['all_failed', [F, S], 'skip'],
    ['one_success', [S, R], 'run'],
    ['one_success', [F, R], 'wait'],
    ['one_success', [F, U], 'skip'],
    ['one_failed', [F, R], 'run'],
    ['one_failed', [U, R], 'run'],
    ['one_failed', [S, R], 'wait'],
    ['one_failed', [S, S], 'skip'],
    ['none_failed', [S, S], 'run'],
    ['none_failed', [S, R], 'wait'],
    ['none_failed', [S, F], 'skip'],
    ['always', [R, R], 'run'],
    ['all_success', [], 'run'],
    ['all_failed', [], 'run'],
  ])('%s with upstream %j: %s', (rule, upstream, expected) => {
    expect(decide(rule, upstream)).toBe(expected);
  });
});
