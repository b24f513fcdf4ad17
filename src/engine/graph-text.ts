/**
 * A plan's DAG as text other tools draw: Graphviz DOT (`flow graph etl --format dot | dot -Tsvg > etl.svg`) or a
 * Mermaid flowchart (GitHub and most wikis render it). Given a run's task states, each task is coloured by its state.
 * Task ids are quoted in both formats, so any id is safe.
 */
import type { TaskStatus } from './events.js';
import type { Plan } from './plan.js';

export type GraphFormat = 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

const FILL: Record<TaskStatus, string> = {
  pending: '#ffffff',
  running: '#9ecbff',
  success: '#a6e3a1',
  failed: '#f38ba8',
  upstream_failed: '#fab387',
  skipped: '#d0d0d0',
  cancelled: '#f9e2af',
  interrupted: '#f9e2af',
};

export function renderGraph(plan: Plan, format: GraphFormat, states?: ReadonlyMap<string, TaskStatus>): string {
  return format === 'dot' ? toDot(plan, states) : toMermaid(plan, states);
}

function toDot(plan: Plan, states?: ReadonlyMap<string, TaskStatus>): string {
  const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [`digraph ${quote(plan.pipeline)} {`, '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];'];
  for (const task of plan.tasks) {
    const state = states?.get(task.id);
    const label = state === undefined ? task.id : `${task.id}\\n${state}`;
    const attrs = [`label=${quote(label).replace(/\\\\n/g, '\\n')}`, ...(state === undefined ? [] : [`fillcolor="${FILL[state]}"`])];
    lines.push(`  ${quote(task.id)} [${attrs.join(', ')}];`);
  }
  for (const task of plan.tasks) for (const upstream of task.depends_on) lines.push(`  ${quote(upstream)} -> ${quote(task.id)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function toMermaid(plan: Plan, states?: ReadonlyMap<string, TaskStatus>): string {
  // Mermaid node ids must be plain words: number the tasks and show the id as the (quoted) label.
  const node = new Map(plan.tasks.map((task, index) => [task.id, `t${index}`]));
  const label = (text: string): string => `"${text.replace(/"/g, '#quot;')}"`;
  const lines = ['flowchart LR'];
  for (const task of plan.tasks) {
    const state = states?.get(task.id);
    lines.push(`  ${node.get(task.id) ?? ''}[${label(state === undefined ? task.id : `${task.id}<br/>${state}`)}]`);
  }
  for (const task of plan.tasks) for (const upstream of task.depends_on) lines.push(`  ${node.get(upstream) ?? ''} --> ${node.get(task.id) ?? ''}`);
  if (states !== undefined) {
    const used = new Set(states.values());
    for (const state of used) lines.push(`  classDef ${state} fill:${FILL[state]},stroke:#555`);
    for (const task of plan.tasks) {
      const state = states.get(task.id);
      if (state !== undefined) lines.push(`  class ${node.get(task.id) ?? ''} ${state}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
