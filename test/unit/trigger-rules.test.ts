/**
 * Every trigger rule against every mix of finished upstream states (one or two upstream tasks, each success,
 * failed, upstream_failed or skipped), and each state beside one upstream task still running. The expected outcomes
 * are data, read off Airflow: the rule's sentence in its docs (core-concepts/dags.rst, "Trigger Rules") says when
 * the task runs, and airflow/ti_deps/deps/trigger_rule_dep.py (its `flag_upstream_failed` pass) says which state a
 * task that can no longer run gets. They are not derived from flow's code.
 *
 * Letters: S success, F failed, U upstream_failed, K skipped, R running (not done).
 * Outcomes: run, wait, skipped, upstream_failed.
 */
import { describe, expect, test } from 'vitest';
import type { TaskStatus } from '../../src/engine/events.js';
import { decide } from '../../src/engine/trigger-rules.js';
import { TRIGGER_RULES } from '../../src/pipeline/schema.js';
import type { TriggerRule } from '../../src/pipeline/types.js';

const STATE: Record<string, TaskStatus> = { S: 'success', F: 'failed', U: 'upstream_failed', K: 'skipped', R: 'running' };
const OUTCOME: Record<string, string> = { r: 'run', w: 'wait', k: 'skipped', u: 'upstream_failed' };

/** The mixes, in the order each rule's outcome row lists them. */
const MIXES = ['S', 'F', 'U', 'K', 'SS', 'SF', 'SU', 'SK', 'FF', 'FU', 'FK', 'UU', 'UK', 'KK', 'SR', 'FR', 'UR', 'KR'];

interface Expectation {
  /** Airflow's sentence for the rule (docs), and what its TriggerRuleDep does when the rule can no longer be met. */
  airflow: string;
  /** One letter per mix of MIXES: r run, w wait, k skipped, u upstream_failed. */
  outcomes: string;
}

const AIRFLOW: Record<TriggerRule, Expectation> = {
  all_success: {
    airflow: 'All upstream tasks have succeeded. Source: a failed or upstream_failed upstream → upstream_failed; else a skipped one → skipped.',
    outcomes: 'r u u k  r u u k u u u u u k  w u u k',
  },
  all_failed: {
    airflow: 'All upstream tasks are in a failed or upstream_failed state. Source: any success or skipped upstream → skipped.',
    outcomes: 'k r r k  k k k k r r k r k k  k w w k',
  },
  all_done: {
    airflow: 'All upstream tasks are done with their execution. Source: never skipped nor upstream_failed.',
    outcomes: 'r r r r  r r r r r r r r r r  w w w w',
  },
  all_done_min_one_success: {
    airflow:
      'All non-skipped upstream tasks are done with their execution and at least one upstream task has succeeded. ' +
      'Source: any skipped upstream → skipped; all done with no success → upstream_failed.',
    outcomes: 'r u u k  r r r k u u k u k k  w w w k',
  },
  all_done_setup_success: {
    airflow: 'Like all_done, but if the task has upstream setup tasks, at least one of them must have succeeded (flow has no setup tasks).',
    outcomes: 'r r r r  r r r r r r r r r r  w w w w',
  },
  all_skipped: {
    airflow: 'All upstream tasks are in a skipped state. Source: any success, failed or upstream_failed upstream → skipped.',
    outcomes: 'k k k r  k k k k k k k k k r  k k k w',
  },
  one_success: {
    airflow:
      'At least one upstream task has succeeded (does not wait for all upstream tasks to be done). Source: all done and all ' +
      'skipped → skipped; all done with no success → upstream_failed.',
    outcomes: 'r u u k  r r r r u u u u u k  r w w w',
  },
  one_failed: {
    airflow:
      'At least one upstream task has failed (does not wait for all upstream tasks to be done). Source: all done with no ' +
      'failed or upstream_failed → skipped.',
    outcomes: 'k r r k  k r r k r r r r r k  w r r w',
  },
  one_done: {
    airflow: 'At least one upstream task succeeded or failed. Source: all done with no success and no failed → skipped.',
    outcomes: 'r r k k  r r r r r r r k k k  r r w w',
  },
  none_failed: {
    airflow:
      'All upstream tasks have not failed or upstream_failed - that is, all upstream tasks have succeeded or been skipped. ' +
      'Source: a failed or upstream_failed upstream → upstream_failed.',
    outcomes: 'r u u r  r u u r u u u u u r  w u u w',
  },
  none_failed_min_one_success: {
    airflow:
      'All upstream tasks have not failed or upstream_failed, and at least one upstream task has succeeded. Source: a failed ' +
      'or upstream_failed upstream → upstream_failed; every upstream skipped → skipped.',
    outcomes: 'r u u k  r u u r u u u u u k  w u u w',
  },
  none_skipped: {
    airflow: 'No upstream task is in a skipped state. Source: any skipped upstream → skipped.',
    outcomes: 'r r r k  r r r k r r k r k k  w w w k',
  },
  always: {
    airflow: 'No dependencies at all, run this task at any time.',
    outcomes: 'r r r r  r r r r r r r r r r  r r r r',
  },
};

const cases = TRIGGER_RULES.flatMap((rule) => {
  const letters = AIRFLOW[rule].outcomes.split(/\s+/);
  return MIXES.map((mix, index) => [rule, mix, OUTCOME[letters[index] ?? ''] ?? '?'] as const);
});

describe('trigger rules, as Airflow decides them', () => {
  test('the table covers every rule, each with one outcome per mix', () => {
    expect(Object.keys(AIRFLOW).sort()).toEqual([...TRIGGER_RULES].sort());
    for (const rule of TRIGGER_RULES) expect(AIRFLOW[rule].outcomes.split(/\s+/)).toHaveLength(MIXES.length);
  });

  test.each(cases)('%s with upstream %s: %s', (rule, mix, expected) => {
    const upstream = [...mix].map((letter) => STATE[letter] as TaskStatus);
    expect(decide(rule, upstream)).toBe(expected);
    // The order of the upstream tasks never matters.
    expect(decide(rule, [...upstream].reverse())).toBe(expected);
  });

  test.each(TRIGGER_RULES)('%s runs a task that has no upstream task', (rule) => {
    expect(decide(rule, [])).toBe('run');
  });

  test('cancelled and interrupted upstream tasks count as failed', () => {
    expect(decide('all_success', ['cancelled'])).toBe('upstream_failed');
    expect(decide('one_failed', ['interrupted', 'running'])).toBe('run');
    expect(decide('all_done', ['cancelled', 'success'])).toBe('run');
  });
});
