/** Walks over a plan's edges: what lies downstream or upstream of a task, directly or not. */

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
