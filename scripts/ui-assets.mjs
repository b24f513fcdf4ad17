// The web UI's browser assets: src/ui/client/main.ts bundled by esbuild for browsers, and the stylesheet. Both
// builds (scripts/build.mjs, scripts/build-binary.mjs) embed them as the constant FLOW_UI_ASSETS, so nothing is read
// from disk at run time; tests that run the sources call the same function (src/ui/assets.ts).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

export async function uiAssets(root) {
  const result = await build({
    absWorkingDir: new URL('.', root).pathname,
    entryPoints: ['src/ui/client/main.ts'],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    write: false,
    logLevel: 'warning',
    tsconfig: 'src/ui/client/tsconfig.json',
  });
  const js = result.outputFiles[0]?.text ?? '';
  const css = readFileSync(new URL('src/ui/client/style.css', root), 'utf8');
  return { 'app.js': js, 'style.css': css };
}

/**
 * The esbuild `define` that embeds them: one string (JSON of the name → text map). A string is inlined where it is
 * used; an object would become a module every chunk initialises, loaded by commands that never serve the UI.
 */
export async function uiAssetsDefine(root) {
  return { FLOW_UI_ASSETS: JSON.stringify(JSON.stringify(await uiAssets(root))) };
}
