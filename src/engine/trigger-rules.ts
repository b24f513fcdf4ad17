/**
 * When a task may start, given the states of its upstream tasks, decided as Airflow's TriggerRuleDep does
 * (airflow/ti_deps/deps/trigger_rule_dep.py): the upstream states are counted, a rule that can no longer be met
 * ends the task `skipped` or `upstream_failed` at once (Airflow's `flag_upstream_failed` pass), and otherwise the
 * task runs once its rule is met or waits. `one_*` rules do not wait for every upstream task; `always` waits for
 * none. flow's own end states `cancelled` and `interrupted` count as `failed`.
 */
import type { TriggerRule } from '../pipeline/types.js';
import type { TaskStatus } from './events.js';

export type Decision = 'run' | 'wait' | 'skipped' | 'upstream_failed';

interface Counts {
  upstream: number;
  success: number;
  skipped: number;
  failed: number;
  upstreamFailed: number;
  done: number;
}

function count(upstream: readonly TaskStatus[]): Counts {
  const counts: Counts = { upstream: upstream.length, success: 0, skipped: 0, failed: 0, upstreamFailed: 0, done: 0 };
  for (const status of upstream) {
    if (status === 'success') counts.success += 1;
    else if (status === 'skipped') counts.skipped += 1;
    else if (status === 'failed' || status === 'cancelled' || status === 'interrupted') counts.failed += 1;
    else if (status === 'upstream_failed') counts.upstreamFailed += 1;
    else continue;
    counts.done += 1;
  }
  return counts;
}

export function decide(rule: TriggerRule, upstream: readonly TaskStatus[]): Decision {
  if (upstream.length === 0 || rule === 'always') return 'run';
  const c = count(upstream);
  const allDone = c.done >= c.upstream;
  const anyFailed = c.failed + c.upstreamFailed > 0;
  const when = (met: boolean): Decision => (met ? 'run' : 'wait');
  switch (rule) {
    case 'all_success':
      if (anyFailed) return 'upstream_failed';
      if (c.skipped > 0) return 'skipped';
      return when(c.success === c.upstream);
    case 'all_failed':
      if (c.success + c.skipped > 0) return 'skipped';
      return when(c.failed + c.upstreamFailed === c.upstream);
    // flow has no setup tasks, so Airflow's all_done_setup_success reduces to all_done.
    case 'all_done':
    case 'all_done_setup_success':
      return when(allDone);
    case 'one_success':
      if (allDone && c.done === c.skipped) return 'skipped';
      if (allDone && c.success === 0) return 'upstream_failed';
      return when(c.success > 0);
    case 'one_failed':
      if (allDone && !anyFailed) return 'skipped';
      return when(anyFailed);
    case 'one_done':
      // upstream_failed is not "done" for this rule: only a success or a failure of the upstream task itself.
      if (allDone && c.success + c.failed === 0) return 'skipped';
      return when(c.success + c.failed > 0);
    case 'none_failed':
      if (anyFailed) return 'upstream_failed';
      return when(c.success + c.skipped === c.upstream);
    case 'none_failed_min_one_success':
      if (anyFailed) return 'upstream_failed';
      if (c.skipped === c.upstream) return 'skipped';
      return when(c.success + c.skipped === c.upstream);
    case 'none_skipped':
      if (c.skipped > 0) return 'skipped';
      return when(allDone);
    case 'all_skipped':
      if (c.success + c.failed + c.upstreamFailed > 0) return 'skipped';
      return when(c.skipped === c.upstream);
    case 'all_done_min_one_success':
      // As Airflow's source has it: any skipped upstream task skips this one (its docs speak of non-skipped tasks).
      if (c.skipped > 0) return 'skipped';
      if (allDone && c.success === 0) return 'upstream_failed';
      return when(allDone);
  }
}

/** Why a task was not run, for the summary: `upstream "b" did not succeed` or `trigger rule all_failed not met`. */
export function skipReason(rule: TriggerRule, decision: 'skipped' | 'upstream_failed', upstream: ReadonlyMap<string, TaskStatus>): string {
  const named = (wanted: (status: TaskStatus) => boolean): string =>
    [...upstream].filter(([, status]) => wanted(status)).map(([id]) => `"${id}"`).join(', ');
  if (decision === 'upstream_failed' && (rule === 'all_success' || rule === 'none_failed' || rule === 'none_failed_min_one_success')) {
    return `upstream ${named((status) => status !== 'success' && status !== 'skipped' && status !== 'pending' && status !== 'running')} did not succeed`;
  }
  if (decision === 'skipped' && (rule === 'all_success' || rule === 'none_skipped' || rule === 'all_done_min_one_success')) {
    return `upstream ${named((status) => status === 'skipped')} skipped`;
  }
  return `trigger rule ${rule} not met`;
}
