/** The Gantt chart of a run as inline SVG: task names on the left, a time axis on top, one bar per attempt. */
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { shorten } from '../graph/dag-svg.js';
import { formatDuration as formatSpan } from '../../util/duration.js';
import type { GanttData } from './gantt.js';

const LABEL_WIDTH = 180;
const CHART_WIDTH = 720;
const ROW = 20;
const AXIS = 22;
const TICKS = 5;

/** Written with hono's `html` template (every interpolated string escaped): a 1000-task run has 1000 rows. */
export function Gantt({ data }: { data: GanttData }): Child {
  const height = AXIS + data.rows.length * ROW + 4;
  const width = LABEL_WIDTH + CHART_WIDTH + 8;
  const x = (ms: number): number => LABEL_WIDTH + Math.round((ms / data.span) * CHART_WIDTH);
  const ticks = Array.from({ length: TICKS + 1 }, (_, index) => {
    const ms = (data.span * index) / TICKS;
    const anchor = index === 0 ? 'start' : index === TICKS ? 'end' : 'middle';
    return html`<line x1="${x(ms)}" x2="${x(ms)}" y1="${AXIS - 4}" y2="${height}"></line><text x="${x(ms)}" y="${AXIS - 8}" text-anchor="${anchor}">${`+${formatSpan(ms)}`}</text>`;
  });
  const rows = data.rows.map((row, index) => {
    const y = AXIS + index * ROW;
    const bars = row.bars.map((bar) => {
      const tip = `${row.task} #${bar.attempt}: ${bar.status}, ${formatSpan(bar.end - bar.start)}${bar.running ? ' so far' : ''}`;
      return html`<rect class="bar s-${bar.status}" data-attempt="${bar.attempt}" x="${x(bar.start)}" y="${y + 3}" width="${Math.max(2, x(bar.end) - x(bar.start))}" height="${ROW - 6}" rx="3"><title>${tip}</title></rect>`;
    });
    return html`<g class="gantt-row" data-task="${row.task}"><text class="gantt-label" x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end"><title>${row.task}</title>${shorten(row.task, 24)}</text>${bars}</g>`;
  });
  return html`<svg class="gantt" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="attempts over time"><g class="gantt-axis">${ticks}</g>${rows}</svg>`;
}
