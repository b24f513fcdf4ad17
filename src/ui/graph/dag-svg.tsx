/**
 * A DAG drawn by the server as inline SVG: readable without JavaScript, and each node carries its task id and status
 * as data so the page script can recolour it from the event stream. Text goes through hono/jsx, which escapes it.
 */
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { layoutDag, NODE_HEIGHT, NODE_WIDTH, type DagTask } from './dag-layout.js';

/** Characters of a task id that fit in a node; the whole id is in the node's tooltip. */
const LABEL_CHARS = 22;

export interface DagProps {
  tasks: readonly DagTask[];
  /** Each task's status in the run shown; a task without one is drawn as not in that run. */
  statuses?: ReadonlyMap<string, string>;
  /** Where a node leads (a task's attempts or its log); none: the node is not a link. */
  href?: (task: string) => string | undefined;
  label?: string;
}

export function Dag({ tasks, statuses, href, label }: DagProps): Child {
  const layout = layoutDag(tasks);
  // hono's `html` template escapes every interpolated string as JSX does, at a fraction of the cost per element (a
  // run of 1000 tasks draws 1000 nodes and their edges).
  const edges = layout.edges.map((edge) => html`<path d="${edge.path}" marker-end="url(#arrow)" data-from="${edge.from}" data-to="${edge.to}"></path>`);
  const nodes = layout.nodes.map((node) => {
    const status = statuses?.get(node.id) ?? 'none';
    const target = href?.(node.id);
    const tip = `${node.id}: ${status === 'none' ? 'not in this run' : status.replace('_', ' ')}`;
    const box = html`<title>${tip}</title><rect x="${node.x}" y="${node.y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"></rect><text x="${node.x + 10}" y="${node.y + NODE_HEIGHT / 2 + 4}">${shorten(node.id)}</text>`;
    return html`<g class="node s-${status}" data-task="${node.id}">${target === undefined ? box : html`<a href="${target}">${box}</a>`}</g>`;
  });
  return html`<svg class="dag" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="${label ?? 'task graph'}"><defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" class="dag-arrow"></path></marker></defs><g class="dag-edges">${edges}</g>${nodes}</svg>`;
}

export function shorten(text: string, max: number = LABEL_CHARS): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
