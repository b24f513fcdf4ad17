// Bundles the CLI (dist/cli.js) and the public API for TypeScript pipelines (dist/index.js) with esbuild, code-split
// so that modules a command imports lazily stay out of start-up; then emits the API's type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { uiAssetsDefine } from './ui-assets.mjs';
import { buildId } from './build-id.mjs';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

// Only this build's own output: the single executables (scripts/build-binary.mjs) are kept, built incrementally.
mkdirSync(new URL('dist', root), { recursive: true });
for (const entry of readdirSync(new URL('dist', root), { withFileTypes: true }).filter((e) => e.name.endsWith('.js') || e.name === 'types')) {
  rmSync(new URL(`dist/${entry.name}`, root), { recursive: true, force: true });
}
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: { cli: 'src/main.ts', index: 'src/index.ts', spawner: 'src/spawner.ts', loader: 'src/loader.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // jiti is loaded only for .ts pipelines and resolves its own files at run time: leave it as a dependency.
  external: ['jiti'],
  // The web UI's script and stylesheet travel inside the bundle (src/ui/assets.ts).
  define: { FLOW_VERSION: JSON.stringify(version), FLOW_BUILD: JSON.stringify(buildId(root)), ...(await uiAssetsDefine(root)) },
  // Bundled CommonJS dependencies still call require().
  banner: { js: "import { createRequire as __flowCreateRequire } from 'node:module'; const require = __flowCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
execFileSync(process.execPath, [new URL('node_modules/typescript/bin/tsc', root).pathname, '-p', 'tsconfig.build.json'], {
  cwd: new URL('.', root),
  stdio: 'inherit',
});
