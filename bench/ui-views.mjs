// `node bench/run.mjs ui`: the `ui` section's measurements of the Pipeline, Run and Log views (bench/ui-views.ts), bundled with esbuild as
// the history section bundles its seeder, then run in this process.
import { build } from 'esbuild';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export async function uiViewsBench({ work, line }) {
  const out = join(work, 'ui-views.mjs');
  await build({ absWorkingDir: root, entryPoints: ['bench/ui-views.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning', external: ['jiti', 'esbuild'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } });
  await (await import(out)).uiViewsBench(work, line);
}
