/**
 * TypeScript pipeline files, loaded with jiti (imported lazily: most commands never see a .ts file). The package's
 * own name is aliased to its public API, so `import { definePipeline } from 'flow'` resolves wherever flow runs —
 * local install, global install or npx — with nothing else installed.
 */
import { apiModulePath } from '../util/package.js';
import type { RawProblem } from './issues.js';
import { textSourceMap, type SourceMap } from './source.js';

export interface LoadedModule {
  data: unknown;
  source: SourceMap;
  problems: (RawProblem & { line?: number; col?: number })[];
}

export async function loadTypeScriptPipeline(file: string, text: string): Promise<LoadedModule> {
  const source = textSourceMap(text);
  const { createJiti } = await import('jiti');
  const api = apiModulePath();
  const jiti = createJiti(import.meta.url, {
    alias: { flow: api, 'flow/api': api },
    moduleCache: false,
    fsCache: false,
    interopDefault: true,
  });
  let exported: unknown;
  try {
    exported = await jiti.import(file, { default: true });
  } catch (error) {
    const where = lineInStack(error, file);
    return { data: undefined, source, problems: [{ path: [], ...where, message: `failed to load: ${firstLine(error)}` }] };
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
