/**
 * The browser's script and stylesheet, embedded in the build: both builds define FLOW_UI_ASSETS (scripts/ui-assets.mjs),
 * so the npm package and the single executable serve them from memory — no file on disk, nothing from a CDN. Run
 * from the sources (tests), they are bundled on first use by the same script.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../util/package.js';

/** JSON of the name → text map, defined by both builds. */
declare const FLOW_UI_ASSETS: string | undefined;

export const ASSET_TYPES: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

export interface Asset {
  body: string;
  type: string;
  etag: string;
}

let loaded: Promise<Map<string, Asset>> | undefined;

export function assetPath(name: 'app.js' | 'style.css'): string {
  return `/ui/assets/${name}`;
}

export function loadAssets(): Promise<Map<string, Asset>> {
  loaded ??= (async () => {
    const texts = typeof FLOW_UI_ASSETS !== 'undefined' ? (JSON.parse(FLOW_UI_ASSETS) as Record<string, string>) : await bundleFromSources();
    const assets = new Map<string, Asset>();
    for (const [name, body] of Object.entries(texts)) {
      assets.set(name, { body, type: ASSET_TYPES[name] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
    }
    return assets;
  })();
  return loaded;
}

async function bundleFromSources(): Promise<Record<string, string>> {
  const root = packageRoot();
  // A computed specifier: the builds must not bundle the build script (or esbuild) into flow.
  const script = pathToFileURL(join(root, 'scripts', 'ui-assets.mjs')).href;
  const module = (await import(script)) as { uiAssets(root: URL): Promise<Record<string, string>> };
  return module.uiAssets(pathToFileURL(`${root}/`));
}
