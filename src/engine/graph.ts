/** Walks over a plan's edges: what lies downstream or upstream of a task, and what a branch or short-circuit skips. */

/** Every task reachable from `id` through `edges` (task → its next tasks), in the order first met. */
export function reachable(edges: ReadonlyMap<string, readonly string[]>, id: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const work = [...(edges.get(id) ?? [])];
  while (work.length > 0) {
    const next = work.shift() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    found.push(next);
    work.push(...(edges.get(next) ?? []));
  }
  return found;
}

export interface Choices {
  /** A branch task's choice: the direct downstream tasks it named. */
  branch: readonly string[] | undefined;
  /** A short-circuit task's command said no. */
  shortCircuited: boolean;
  /** With the short-circuit: skip only the direct downstream tasks (ignore_downstream_trigger_rules: false). */
  directOnly: boolean;
}

/**
 * The tasks a branch's choice or a short-circuit skips whatever their trigger rules, and why, as Airflow's
 * BranchMixIn and ShortCircuitOperator decide them: a branch skips its direct downstream tasks that it did not name,
 * except those downstream of one it named; a short-circuit skips every task downstream (or only the direct ones,
 * the rest then following their trigger rules). `downstream` maps a task to its direct downstream tasks.
 */
export function forcedSkips(id: string, downstream: ReadonlyMap<string, readonly string[]>, choices: Choices): Map<string, string> {
  const skips = new Map<string, string>();
  if (choices.branch !== undefined) {
    const followed = new Set(choices.branch.flatMap((chosen) => [chosen, ...reachable(downstream, chosen)]));
    for (const next of downstream.get(id) ?? []) if (!followed.has(next)) skips.set(next, `not chosen by branch "${id}"`);
  }
  if (choices.shortCircuited) {
    for (const next of choices.directOnly ? (downstream.get(id) ?? []) : reachable(downstream, id)) skips.set(next, `short-circuited by "${id}"`);
  }
  return skips;
}
