/**
 * Which tasks of an ended run run again (`flow retry`). By default the tasks that did not finish well — failed,
 * cancelled, interrupted — or, with `task`, that one task. Tasks downstream of those that did not succeed (skipped
 * as upstream_failed, cancelled) are decided again too, since what they waited on runs again; with `downstream`,
 * every task downstream runs again, successful ones included. Every other task keeps its state.
 */
import type { TaskStatus } from './events.js';
import { closure, type Plan } from './plan.js';

const UNFINISHED: ReadonlySet<TaskStatus> = new Set(['failed', 'cancelled', 'interrupted', 'pending', 'running']);

export interface RerunOptions {
  task?: string | undefined;
  downstream?: boolean | undefined;
}

/** The tasks to run again, in plan order; empty when nothing qualifies (a run that succeeded, without `task`). */
export function rerunScope(plan: Plan, status: ReadonlyMap<string, TaskStatus>, options: RerunOptions = {}): string[] {
  const roots = options.task !== undefined ? [options.task] : plan.tasks.filter((task) => UNFINISHED.has(status.get(task.id) ?? 'pending')).map((task) => task.id);
  const chosen = new Set(roots);
  const below = downstreamInPlan(plan, roots);
  for (const id of below) if (options.downstream === true || status.get(id) !== 'success') chosen.add(id);
  return plan.tasks.filter((task) => chosen.has(task.id)).map((task) => task.id);
}

/** Every task of the plan that depends on one of `roots`, directly or not (the roots themselves excluded). */
function downstreamInPlan(plan: Plan, roots: readonly string[]): Set<string> {
  const found = closure(plan.tasks.map((task) => ({ id: task.id, deps: task.depends_on })), roots);
  for (const root of roots) found.delete(root);
  return found;
}
