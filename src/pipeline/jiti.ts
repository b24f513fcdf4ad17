/**
 * jiti's `createJiti`, loaded only when a TypeScript pipeline is: from the jiti package, or inside the single
 * executable from its SEA assets (jiti's two CommonJS bundles), compiled as CommonJS modules so that their `require`
 * and `import()` behave as on disk.
 */
import type { createJiti as CreateJiti } from 'jiti';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { embedded, embeddedText } from '../util/package.js';

export type JitiFactory = typeof CreateJiti;

let factory: JitiFactory | undefined;

export async function jitiFactory(): Promise<JitiFactory> {
  if (factory !== undefined) return factory;
  factory = embedded ? fromAssets() : (await import('jiti')).createJiti;
  return factory;
}

type JitiCore = (id: string, options: object, hooks: object) => ReturnType<JitiFactory>;

function fromAssets(): JitiFactory {
  const core = compileAsset('jiti/jiti.cjs') as JitiCore;
  // `import()` from code the CommonJS loader compiled has the loader's resolution; the main script's has none.
  const nativeImport = compileAsset('jiti/import.cjs') as (id: string) => Promise<unknown>;
  let transform: ((...args: unknown[]) => unknown) | undefined;
  const lazyTransform = (...args: unknown[]): unknown => (transform ??= compileAsset('jiti/babel.cjs') as (...args: unknown[]) => unknown)(...args);
  const onError = (error: unknown): never => {
    throw error;
  };
  return ((id: string, options: Record<string, unknown> = {}) =>
    core(id, { transform: lazyTransform, ...options }, { onError, nativeImport, createRequire })) as unknown as JitiFactory;
}

interface CjsModule {
  exports: unknown;
  filename: string;
  paths: string[];
  _compile(source: string, filename: string): void;
}

/** Node's CommonJS loader, as lib/internal/modules/cjs/loader.js has it (its typings leave these out). */
const Loader = Module as unknown as { new (id: string): CjsModule; _nodeModulePaths(dir: string): string[] };

function compileAsset(name: string): unknown {
  // A name beside the executable: only jiti's own stack traces show it.
  const filename = join(dirname(process.execPath), `flow-embedded-${name.replace('/', '-')}`);
  const compiled = new Loader(filename);
  compiled.filename = filename;
  compiled.paths = Loader._nodeModulePaths(dirname(filename));
  compiled._compile(embeddedText(name), filename);
  return compiled.exports;
}
