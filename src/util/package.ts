/**
 * Files that ship with flow (the public API module, the JSON Schema, examples), found from wherever this code runs:
 * the bundle in dist/, or the sources in src/ under test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'flow') return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find flow's package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The module a TypeScript pipeline gets for `import … from 'flow'`. */
export function apiModulePath(): string {
  const built = join(packageRoot(), 'dist', 'index.js');
  return existsSync(built) ? built : join(packageRoot(), 'src', 'index.ts');
}
