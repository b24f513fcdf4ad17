/**
 * TypeScript pipeline files, loaded with jiti (loaded lazily: most commands never see a .ts file). `flow` (and the
 * package's name) is a virtual module holding the public API of this very process, so `import { definePipeline }
 * from 'flow'` resolves wherever flow runs — npm install, global install, npx or the single executable — with
 * nothing else installed. Everything else a pipeline imports resolves from the pipeline's own folder.
 */
import { dirname } from 'node:path';
import { PACKAGE_NAME } from '../util/package.js';
import { jitiFactory } from './jiti.js';
import type { RawProblem } from './issues.js';
import { textSourceMap, type SourceMap } from './source.js';

export interface LoadedModule {
  data: unknown;
  source: SourceMap;
  problems: (RawProblem & { line?: number; col?: number })[];
}

export async function loadTypeScriptPipeline(file: string, text: string): Promise<LoadedModule> {
  const source = textSourceMap(text);
  const createJiti = await jitiFactory();
  const api = await import('../index.js');
  const jiti = createJiti(file, {
    virtualModules: { flow: api, 'flow/api': api, [PACKAGE_NAME]: api },
    moduleCache: false,
    fsCache: false,
    interopDefault: true,
  });
  let exported: unknown;
  try {
    exported = await jiti.import(file, { default: true });
  } catch (error) {
    const where = lineInStack(error, file);
    return { data: undefined, source, problems: [{ path: [], ...where, message: loadFailure(error, file) }] };
  }
  if (typeof exported !== 'object' || exported === null || !('tasks' in exported)) {
    return {
      data: undefined,
      source,
      problems: [{ path: [], message: 'exports no pipeline: write `export default definePipeline({ tasks: { ... } })`' }],
    };
  }
  return { data: exported, source, problems: [] };
}

/** Why the file did not load, and what to do, in one sentence. */
function loadFailure(error: unknown, file: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text = firstLine(error);
  const missing = /^Cannot find (?:module|package) '([^']+)'/.exec(text);
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    const name = missing?.[1] ?? text;
    if (name.startsWith('.') || name.startsWith('/')) return `cannot find "${name}": no such file (relative imports start from the pipeline's folder)`;
    return `cannot find package "${name}": install it beside the pipeline (\`npm install ${packageName(name)}\` in ${dirname(file)})`;
  }
  const syntax = /^(?:ParseError|SyntaxError): (.*)$/.exec(text);
  if (syntax) return `syntax error: ${syntax[1]?.trim()}`;
  return `failed to load: ${text.trim()}`;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** The first stack frame in the pipeline file itself, when the runtime kept one. */
function lineInStack(error: unknown, file: string): { line?: number; col?: number } {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const frame of stack.split('\n')) {
    const at = frame.indexOf(file);
    if (at === -1) continue;
    const match = /^:(\d+):(\d+)/.exec(frame.slice(at + file.length));
    if (match) return { line: Number(match[1]), col: Number(match[2]) };
  }
  return {};
}
