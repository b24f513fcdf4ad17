/**
 * Where a path inside a pipeline document sits in its file, so every problem can be reported as `file:line:col`.
 * YAML files know exact positions; TypeScript files are searched for the keys, which finds the line in practice.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';

export type DocPath = readonly (string | number)[];
export interface Position {
  line: number;
  col: number;
}

export interface SourceMap {
  /** `at: 'key'` points at the key of the last path segment rather than its value. */
  locate(path: DocPath, at?: 'key' | 'value'): Position | undefined;
}

export function yamlSourceMap(doc: Document, lines: LineCounter): SourceMap {
  // Each mapping's keys, indexed once: a file with many problems in a large mapping stays linear.
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = new Map();
      for (const item of map.items) {
        const name = isScalar(item.key) ? String(item.key.value) : undefined;
        if (name !== undefined && !index.has(name)) index.set(name, item);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  return {
    locate(path, at = 'value') {
      let node: unknown = doc.contents;
      let offset = (doc.contents)?.range?.[0];
      for (const [index, segment] of path.entries()) {
        const last = index === path.length - 1;
        if (isMap(node)) {
          const pair = pairOf(node, String(segment));
          if (pair === undefined) break;
          node = last && at === 'key' ? pair.key : (pair.value ?? pair.key);
        } else if (isSeq(node) && typeof segment === 'number') {
          node = node.items[segment];
        } else {
          break;
        }
        const range = (node as Node | null)?.range;
        if (range == null) break;
        offset = range[0];
      }
      return offset === undefined ? undefined : lines.linePos(offset);
    },
  };
}

export function textSourceMap(text: string): SourceMap {
  return {
    locate(path) {
      let from = 0;
      let found: number | undefined;
      for (const segment of path) {
        if (typeof segment === 'number') continue;
        const escaped = segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const pattern = new RegExp(`(?<![\\w$])(['"\`]?)${escaped}\\1\\s*:`, 'g');
        pattern.lastIndex = from;
        const match = pattern.exec(text);
        if (match === null) break;
        found = match.index;
        from = pattern.lastIndex;
      }
      return found === undefined ? undefined : positionOf(text, found);
    },
  };
}

export function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
