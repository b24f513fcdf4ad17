/** YAML pipeline files, parsed with positions kept so that every problem names its line and column. */
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { RawProblem } from './issues.js';
import { yamlSourceMap, type SourceMap } from './source.js';

export interface ParsedDocument {
  data: unknown;
  source: SourceMap;
  /** Syntax problems; when there are any, `data` is not to be trusted. */
  problems: (RawProblem & { line?: number; col?: number })[];
}

export function parseYamlPipeline(text: string): ParsedDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  const tasks = doc.get('tasks', true);
  const problems = doc.errors.map((error) => {
    const { line, col } = lines.linePos(openerOf(error.message, text, error.pos[0]));
    const near = /^("[^"]*"|'[^']*'|[^:\s]+)/.exec(text.slice(error.pos[0]))?.[0] ?? '';
    return { path: [], line, col, message: yamlMessage(error.code, error.message, near, isTaskKey(tasks, error.pos[0])) };
  });
  return { data: doc.toJS({ maxAliasCount: 1000 }), source: yamlSourceMap(doc, lines), problems };
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

function isTaskKey(tasks: unknown, offset: number): boolean {
  return isMap(tasks) && tasks.items.some((pair) => isScalar(pair.key) && pair.key.range?.[0] === offset);
}

function yamlMessage(code: string, message: string, near: string, taskKey: boolean): string {
  if (code === 'DUPLICATE_KEY') return taskKey ? `duplicate task id "${near}"` : `duplicate key "${near}"`;
  if (code === 'BLOCK_AS_IMPLICIT_KEY') return 'YAML syntax: a plain value cannot contain ": "; put the value in quotes';
  if (code === 'MULTIPLE_DOCS') return 'a pipeline file holds one YAML document; remove the "---" separator';
  // The parser's own sentence, without the position it appends (we print the position first).
  return `YAML syntax: ${message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`;
}

