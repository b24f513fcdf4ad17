/**
 * When a task may start, given the states of its upstream tasks, with Airflow's meanings: `one_success` and
 * `one_failed` start as soon as one upstream task qualifies, and `always` does not wait for upstream tasks at all.
 * A rule that can no longer be met ends the task `upstream_failed` without running it.
 */
import type { TriggerRule } from '../pipeline/types.js';
import type { TaskStatus } from './events.js';

export type Decision = 'run' | 'wait' | 'skip';

const FAILED: ReadonlySet<TaskStatus> = new Set(['failed', 'upstream_failed', 'cancelled', 'interrupted']);
const DONE: ReadonlySet<TaskStatus> = new Set([...FAILED, 'success']);

export function decide(rule: TriggerRule, upstream: readonly TaskStatus[]): Decision {
  if (upstream.length === 0 || rule === 'always') return 'run';
  const done = upstream.every((status) => DONE.has(status));
  const anySuccess = upstream.includes('success');
  const anyFailed = upstream.some((status) => FAILED.has(status));
  switch (rule) {
    case 'all_success':
      return anyFailed ? 'skip' : done ? 'run' : 'wait';
    case 'all_failed':
      return anySuccess ? 'skip' : done ? 'run' : 'wait';
    case 'all_done':
      return done ? 'run' : 'wait';
    case 'one_success':
      return anySuccess ? 'run' : done ? 'skip' : 'wait';
    case 'one_failed':
      return anyFailed ? 'run' : done ? 'skip' : 'wait';
    case 'none_failed':
      return anyFailed ? 'skip' : done ? 'run' : 'wait';
  }
}

/** Why a task was not run, for the summary: `upstream "b" failed` or `trigger rule all_failed not met`. */
export function skipReason(rule: TriggerRule, upstream: ReadonlyMap<string, TaskStatus>): string {
  if (rule === 'all_success' || rule === 'none_failed') {
    const failed = [...upstream].filter(([, status]) => FAILED.has(status)).map(([id]) => `"${id}"`);
    return `upstream ${failed.join(', ')} did not succeed`;
  }
  return `trigger rule ${rule} not met`;
}
