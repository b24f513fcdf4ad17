/**
 * Rules that a schema cannot express: task ids, dependencies that exist, no cycles, a valid time zone and schedule.
 * They run on the raw document, so they report alongside schema problems rather than after them.
 */
import { didYouMean } from '../util/suggest.js';
import { isValidTimeZone } from '../util/timezone.js';
import { describeInput, type RawProblem } from './issues.js';
import { LIMITS } from './limits.js';
import { nameProblem } from './names.js';
import { taskEnvPart } from '../engine/outputs.js';

/**
 * @param checkSchedule the schedule check (src/schedule's `checkSchedule`), passed in by the caller that has loaded
 *   it: the cron parser is loaded only for a pipeline that has a schedule.
 */
export function checkRules(raw: Record<string, unknown>, checkSchedule: ((expression: string) => string | undefined) | undefined): RawProblem[] {
  const problems: RawProblem[] = [];
  const tasks = isRecord(raw.tasks) ? raw.tasks : {};
  const ids = Object.keys(tasks);
  const edges = new Map<string, string[]>();
  const named: string[] = [];

  for (const id of ids) {
    const wrong = nameProblem(id);
    if (wrong === undefined) named.push(id);
    else {
      // A huge id is quoted shortened and kept out of the dependency graph.
      problems.push({ path: ['tasks', id], at: 'key', message: `task id ${describeInput(id)} ${wrong}` });
      if (id.length > LIMITS.nameBytes) continue;
    }
    const task = tasks[id];
    const deps = isRecord(task) && Array.isArray(task.depends_on) ? task.depends_on : [];
    const known: string[] = [];
    deps.forEach((dep: unknown, index: number) => {
      // The schema reports a dependency too long to be a task id.
      if (typeof dep !== 'string' || dep.length > LIMITS.nameBytes) return;
      if (dep === id) problems.push({ path: ['tasks', id, 'depends_on', index], message: `task "${id}" cannot depend on itself` });
      else if (!Object.hasOwn(tasks, dep)) problems.push({ path: ['tasks', id, 'depends_on', index], message: `unknown task "${dep}"${didYouMean(dep, ids)}` });
      else known.push(dep);
    });
    edges.set(id, known);
  }

  // Outputs reach downstream tasks as FLOW_OUT_<TASK>_<KEY>: two ids that give the same <TASK> would mix them up.
  const envParts = new Map<string, string>();
  for (const id of named) {
    const part = taskEnvPart(id);
    const other = envParts.get(part);
    if (other !== undefined) {
      problems.push({ path: ['tasks', id], at: 'key', message: `tasks "${other}" and "${id}" both give outputs as FLOW_OUT_${part}_*; rename one` });
    } else envParts.set(part, id);
  }

  for (const cycle of findCycles(ids, edges)) {
    problems.push({ path: ['tasks', cycle[0] ?? '', 'depends_on'], message: `dependency cycle: ${cycle.join(' -> ')}` });
  }

  // Over-long values are the schema's to report; ICU and the cron parser never see them.
  if (typeof raw.timezone === 'string' && raw.timezone.length <= LIMITS.timezoneChars && !isValidTimeZone(raw.timezone)) {
    problems.push({ path: ['timezone'], message: `unknown time zone "${raw.timezone}" (use an IANA name such as Europe/Berlin or UTC)` });
  }
  if (typeof raw.schedule === 'string' && raw.schedule.length <= LIMITS.scheduleChars && checkSchedule !== undefined) {
    const message = checkSchedule(raw.schedule);
    if (message !== undefined) problems.push({ path: ['schedule'], message });
  }
  return problems;
}

/**
 * Every cycle once, written in run order (`a -> b -> a` means b waits for a, and a for b). `edges` maps a task to
 * the tasks it depends on.
 */
export function findCycles(ids: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  // Depth-first with an explicit stack: a chain of many thousand tasks must not overflow the call stack.
  const visit = (start: string): void => {
    const frames: { id: string; deps: readonly string[]; next: number }[] = [];
    const open = (id: string): void => {
      state.set(id, 'open');
      stack.push(id);
      frames.push({ id, deps: edges.get(id) ?? [], next: 0 });
    };
    open(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as (typeof frames)[number];
      const dep = frame.deps[frame.next++];
      if (dep === undefined) {
        frames.pop();
        stack.pop();
        state.set(frame.id, 'done');
      } else if (state.get(dep) === 'open') {
        // The stack from `dep` to `id` is a dependency chain; reversed, it is the order the tasks would run in.
        const reversed = stack.slice(stack.indexOf(dep)).reverse();
        const key = [...reversed].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          // Start from the task that comes first in the file, so the same cycle always reads the same.
          const first = reversed.indexOf(ids.find((candidate) => reversed.includes(candidate)) ?? dep);
          const loop = [...reversed.slice(first), ...reversed.slice(0, first)];
          cycles.push([...loop, loop[0] ?? dep]);
        }
      } else if (!state.has(dep)) {
        open(dep);
      }
    }
  };

  for (const id of ids) if (!state.has(id)) visit(id);
  return cycles;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
