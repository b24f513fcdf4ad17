/**
 * The DAG planner. A plan is plain, versioned data: which tasks run, what each waits for, and which of them can run
 * together. `flow run --dry-run --json` prints it; the executor runs it.
 */
import { FlowError } from '../errors.js';
import type { Pipeline, TaskKind, TriggerRule } from '../pipeline/types.js';
import { didYouMean } from '../util/suggest.js';

export interface PlannedTask {
  id: string;
  kind: TaskKind;
  command: string | undefined;
  /** Upstream tasks inside this plan; upstream tasks left out by --only or --from count as done. */
  depends_on: string[];
  trigger_rule: TriggerRule;
}

export interface Plan {
  version: 1;
  pipeline: string;
  file: string;
  concurrency: number;
  tasks: PlannedTask[];
  /** Waves of tasks that can run together when every task succeeds; each wave waits for the one before. */
  stages: string[][];
}

export interface PlanOptions {
  only?: string[];
  from?: string;
  concurrency?: number;
}

export function planRun(pipeline: Pipeline, options: PlanOptions = {}): Plan {
  const ids = pipeline.tasks.map((task) => task.id);
  const check = (id: string, flag: string): void => {
    if (!ids.includes(id)) {
      throw new FlowError('E_TASK_NOT_FOUND', `${flag}: pipeline "${pipeline.name}" has no task "${id}"${didYouMean(id, ids)}`, {
        hint: `its tasks: ${ids.join(', ')}`,
      });
    }
  };
  let selected = new Set(ids);
  if (options.only !== undefined) {
    options.only.forEach((id) => check(id, '--only'));
    selected = new Set(options.only);
  }
  if (options.from !== undefined) {
    check(options.from, '--from');
    const downstream = downstreamOf(pipeline, [options.from]);
    selected = new Set([...selected].filter((id) => downstream.has(id)));
  }

  const tasks: PlannedTask[] = pipeline.tasks
    .filter((task) => selected.has(task.id))
    .map((task) => ({
      id: task.id,
      kind: task.kind,
      command: task.command,
      depends_on: task.dependsOn.filter((dep) => selected.has(dep)),
      trigger_rule: task.triggerRule,
    }));
  return {
    version: 1,
    pipeline: pipeline.name,
    file: pipeline.file,
    concurrency: options.concurrency ?? pipeline.concurrency,
    tasks,
    stages: stagesOf(tasks),
  };
}

/** The given tasks and every task that depends on them, directly or not. */
export function downstreamOf(pipeline: Pipeline, roots: readonly string[]): Set<string> {
  return closure(pipeline.tasks.map((task) => ({ id: task.id, deps: task.dependsOn })), roots);
}

/** `roots` and everything reachable from them along "depends on" edges taken backwards. */
export function closure(tasks: readonly { id: string; deps: readonly string[] }[], roots: readonly string[]): Set<string> {
  const result = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const task of tasks) {
      if (!result.has(task.id) && task.deps.some((dep) => result.has(dep))) {
        result.add(task.id);
        grew = true;
      }
    }
  }
  return result;
}

/** Longest-path layering: a task's stage is one more than its latest upstream task's. */
function stagesOf(tasks: readonly PlannedTask[]): string[][] {
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const depth = new Map<string, number>();
  // Depth-first with an explicit stack: a chain of thousands of tasks must not overflow the call stack.
  const open = new Set<string>();
  const depthOf = (start: string): number => {
    const stack = [start];
    while (stack.length > 0) {
      const id = stack[stack.length - 1] as string;
      if (depth.has(id)) {
        stack.pop();
        continue;
      }
      open.add(id);
      const deps = byId.get(id)?.depends_on ?? [];
      const waiting = deps.filter((dep) => !depth.has(dep) && !open.has(dep));
      if (waiting.length > 0) {
        for (const dep of waiting) stack.push(dep);
        continue;
      }
      let value = 0;
      for (const dep of deps) value = Math.max(value, (depth.get(dep) ?? 0) + 1);
      depth.set(id, value);
      open.delete(id);
      stack.pop();
    }
    return depth.get(start) ?? 0;
  };
  const stages: string[][] = [];
  for (const task of tasks) (stages[depthOf(task.id)] ??= []).push(task.id);
  return stages;
}
