/**
 * YAML pipeline files, parsed with positions kept so that every problem names its line and column. Whatever the
 * parser throws (an alias without its anchor, an alias bomb, a document nested past the stack) becomes a problem at
 * a position, never an exception.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLMap } from 'yaml';
import type { RawProblem } from './issues.js';
import { yamlSourceMap, type SourceMap } from './source.js';

/** Aliases expanded in all, counted as the yaml package does; far above what any pipeline file needs. */
const MAX_ALIAS_COUNT = 1000;

type SyntaxProblem = RawProblem & { line?: number; col?: number };

export interface ParsedDocument {
  data: unknown;
  source: SourceMap;
  /** Syntax problems; when there are any, `data` is not to be trusted. */
  problems: SyntaxProblem[];
}

export function parseYamlPipeline(text: string): ParsedDocument {
  const lines = new LineCounter();
  // The parser's own check for unique keys compares each key with every earlier one (quadratic in a map's size);
  // duplicateKeys below does the same in one pass.
  // logLevel 'error': the parser's warnings would go to stderr through process.emitWarning; what they warn of is
  // reported here as a problem instead.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: false, logLevel: 'error' });
  const source = yamlSourceMap(doc, lines);
  const at = (offset: number, message: string): SyntaxProblem => ({ path: [], ...lines.linePos(offset), message });
  const problems = doc.errors.map((error) => {
    const near = /^("[^"]*"|'[^']*'|[^:\s]+)/.exec(text.slice(error.pos[0], error.pos[0] + 1024))?.[0] ?? '';
    return at(openerOf(error.message, text, error.pos[0]), yamlMessage(error.code, error.message, near));
  });
  if (problems.length > 0) return { data: undefined, source, problems };
  try {
    problems.push(...badKeys(doc).map(({ offset, message }) => at(offset, message)));
    // An alias is written `*name`: a file without a `*` has none, and is spared a second walk of its whole tree.
    const alias = text.includes('*') ? firstUnresolvedAlias(doc) : undefined;
    if (alias !== undefined) problems.push(at(alias.range?.[0] ?? 0, `YAML: alias "*${alias.source}" has no anchor "&${alias.source}" before it`));
    if (problems.length > 0) return { data: undefined, source, problems };
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), source, problems };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias count/i.test(message)) {
      const first = firstAlias(doc);
      return { data: undefined, source, problems: [at(first?.range?.[0] ?? 0, `YAML: aliases expand to too much data (more than ${MAX_ALIAS_COUNT} copies); write the values out or use fewer aliases`)] };
    }
    if (error instanceof RangeError) return { data: undefined, source, problems: [at(0, NESTED_TOO_DEEPLY)] };
    return { data: undefined, source, problems: [at(0, `YAML: ${message.split('\n')[0] ?? message}`)] };
  }
}

const NESTED_TOO_DEEPLY = 'YAML: lists or mappings are nested too deeply to read';

/**
 * Keys that repeat within one mapping, and keys that are lists or mappings (no pipeline key is one). A walk of its
 * own rather than the package's `visit`, which builds a path for every node: half the time on a large file.
 */
function badKeys(doc: Document): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  const tasks = doc.get('tasks', true);
  const checkMap = (map: YAMLMap): void => {
    const seen = new Set<unknown>();
    for (const pair of map.items) {
      if (!isScalar(pair.key)) {
        const offset = (pair.key as Node | null)?.range?.[0] ?? map.range?.[0] ?? 0;
        if (pair.key !== null) found.push({ offset, message: 'YAML: a key must be a plain value, not a list, a mapping or an alias' });
        continue;
      }
      const value = pair.key.value;
      if (!seen.has(value)) {
        seen.add(value);
        continue;
      }
      const name = quote(String(value));
      found.push({ offset: pair.key.range?.[0] ?? 0, message: map === tasks ? `duplicate task id ${name}` : `duplicate key ${name}` });
    }
  };
  // In the order `visit` goes: a mapping, then each of its keys and values.
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      checkMap(node);
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    } else if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    }
  };
  walk(doc.contents);
  return found;
}

/** An alias is resolved against the anchors set before it (YAML 1.2, 3.2.2.2); the first one with none. */
function firstUnresolvedAlias(doc: Document): (Node & { source: string }) | undefined {
  const anchors = new Set<string>();
  let unresolved: (Node & { source: string }) | undefined;
  visit(doc, (_key, node) => {
    if (isAlias(node)) {
      if (!anchors.has(node.source)) {
        unresolved = node;
        return visit.BREAK;
      }
    } else if (typeof (node as { anchor?: unknown } | null)?.anchor === 'string') {
      anchors.add((node as { anchor: string }).anchor);
    }
    return undefined;
  });
  return unresolved;
}

function firstAlias(doc: Document): Node | undefined {
  let first: Node | undefined;
  visit(doc, {
    Alias(_key, node) {
      first = node;
      return visit.BREAK;
    },
  });
  return first;
}

/** A value quoted for a message, shortened so that a megabyte-long key does not become a megabyte-long line. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/**
 * An unclosed quote or bracket is noticed where the file ends; point at where it was opened, which is where the
 * mistake is.
 */
function openerOf(message: string, text: string, offset: number): number {
  const opener = /closing "quote/.test(message) ? '"' : /closing 'quote/.test(message) ? "'" : /end with a \]/.test(message) ? '[' : /end with a \}/.test(message) ? '{' : undefined;
  if (opener === undefined) return offset;
  const at = text.lastIndexOf(opener, Math.max(0, offset - 1));
  return at === -1 ? offset : at;
}

function yamlMessage(code: string, message: string, near: string): string {
  if (code === 'BLOCK_AS_IMPLICIT_KEY') return 'YAML syntax: a plain value cannot contain ": "; put the value in quotes';
  if (code === 'MULTIPLE_DOCS') return 'a pipeline file holds one YAML document; remove the "---" separator';
  if (code === 'RESOURCE_EXHAUSTION') return NESTED_TOO_DEEPLY;
  if (code === 'DUPLICATE_KEY') return `duplicate key ${quote(near)}`;
  // The parser's own sentence, without the position it appends (we print the position first).
  const sentence = message.replace(/ at line \d+, column \d+:[\s\S]*$/, '');
  return `YAML syntax: ${sentence.length > 200 ? `${sentence.slice(0, 197)}...` : sentence}`;
}
