import { describe, expect, test } from 'vitest';
import { layoutDag } from '../../../src/ui/graph/dag-layout.js';
import { Dag } from '../../../src/ui/graph/dag-svg.js';
import { html } from './render.js';

describe('DAG layout', () => {
  test('a task sits one layer right of its deepest upstream task', () => {
    const layout = layoutDag([
      { id: 'extract', depends_on: [] },
      { id: 'clean', depends_on: ['extract'] },
      { id: 'load', depends_on: ['extract', 'clean'] },
      { id: 'alone', depends_on: [] },
    ]);
    const layer = Object.fromEntries(layout.nodes.map((node) => [node.id, node.layer]));
    expect(layer).toEqual({ extract: 0, clean: 1, load: 2, alone: 0 });
    expect(layout.edges.map((edge) => `${edge.from}>${edge.to}`)).toEqual(['extract>clean', 'extract>load', 'clean>load']);
    const x = Object.fromEntries(layout.nodes.map((node) => [node.id, node.x]));
    expect(x.extract).toBeLessThan(x.clean as number);
    expect(layout.width).toBeGreaterThanOrEqual(Math.max(...layout.nodes.map((node) => node.x)));
  });

  test('inside a layer, tasks follow their upstream tasks, so edges do not cross', () => {
    const layout = layoutDag([
      { id: 'a', depends_on: [] },
      { id: 'b', depends_on: [] },
      { id: 'after-b', depends_on: ['b'] },
      { id: 'after-a', depends_on: ['a'] },
    ]);
    const y = Object.fromEntries(layout.nodes.map((node) => [node.id, node.y]));
    expect(y['after-a']).toBe(y.a);
    expect(y['after-b']).toBe(y.b);
  });

  test('unknown dependencies, self-loops and cycles (a run against an older file) still lay out', () => {
    const layout = layoutDag([
      { id: 'a', depends_on: ['gone', 'a'] },
      { id: 'b', depends_on: ['c'] },
      { id: 'c', depends_on: ['b'] },
    ]);
    expect(layout.nodes.map((node) => node.layer)).toEqual([0, 1, 1]);
  });

  test('1000 tasks in a wide fan and a long chain lay out at once', () => {
    const fan = Array.from({ length: 1000 }, (_, i) => ({ id: `t${i}`, depends_on: i === 0 ? [] : ['t0'] }));
    const chain = Array.from({ length: 1000 }, (_, i) => ({ id: `t${i}`, depends_on: i === 0 ? [] : [`t${i - 1}`] }));
    expect(layoutDag(fan).nodes.filter((node) => node.layer === 1)).toHaveLength(999);
    expect(Math.max(...layoutDag(chain).nodes.map((node) => node.layer))).toBe(999);
  });

  test('the SVG escapes task ids and carries each node status for the page script', () => {
    const svg = html(
      Dag({
        tasks: [
          { id: '<script>alert(1)</script>', depends_on: [] },
          { id: 'b"&', depends_on: ['<script>alert(1)</script>'] },
        ],
        statuses: new Map([['b"&', 'success']]),
        href: (task) => `/t/${encodeURIComponent(task)}`,
      }),
    );
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('class="node s-success" data-task="b&quot;&amp;"');
    expect(svg).toContain('class="node s-none"');
    expect(svg).toContain('href="/t/b%22%26"');
  });
});
