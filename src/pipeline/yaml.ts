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
    const { line, col } = lines.linePos(error.pos[0]);
    return { path: [], line, col, message: yamlMessage(error.code, error.message, text.slice(error.pos[0], error.pos[1]), isTaskKey(tasks, error.pos[0])) };
  });
  return { data: doc.toJS({ maxAliasCount: 1000 }), source: yamlSourceMap(doc, lines), problems };
}

function isTaskKey(tasks: unknown, offset: number): boolean {
  return isMap(tasks) && tasks.items.some((pair) => isScalar(pair.key) && pair.key.range?.[0] === offset);
}

function yamlMessage(code: string, message: string, near: string, taskKey: boolean): string {
  if (code === 'DUPLICATE_KEY') return taskKey ? `duplicate task id "${near}"` : `duplicate key "${near}"`;
  if (code === 'MULTIPLE_DOCS') return 'a pipeline file holds one YAML document; remove the "---" separator';
  // The parser's own sentence, without the position it appends (we print the position first).
  return `YAML syntax: ${message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')}`;
}

