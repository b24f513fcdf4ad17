/**
 * What `flow daemon` loads at start is its command module's static import graph. The daemon keeps out of it what
 * idle does not need (src/daemon/loader, docs/architecture.md "Daemon memory"): one static import of the pipeline
 * loader, the schema library or the web UI from any module on that graph would bring it back for good.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const entry = 'src/cli/commands/daemon.ts';

/** Every input reached from the entry through static imports. */
async function staticGraph(): Promise<Set<string>> {
  const { metafile } = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    metafile: true,
    outdir: 'out',
    logLevel: 'silent',
    external: ['jiti'],
    define: { FLOW_VERSION: '"0"', FLOW_UI_ASSETS: '""', FLOW_BUILD: '""' },
  });
  const reached = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const input = stack.pop() as string;
    if (reached.has(input)) continue;
    reached.add(input);
    for (const imported of metafile.inputs[input]?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) stack.push(imported.path);
  }
  return reached;
}

describe("the daemon's start", () => {
  it('imports no pipeline loading, schema library, YAML or cron parser, HTTP adapter or web UI', async () => {
    const graph = [...(await staticGraph())];
    const unwanted = [/node_modules\/zod\//, /node_modules\/yaml\//, /node_modules\/cron-parser\//, /node_modules\/luxon\//, /node_modules\/@hono\/node-server\//, /^src\/pipeline\/load\.ts$/, /^src\/ui\/app\.ts$/];
    expect(graph.filter((input) => unwanted.some((pattern) => pattern.test(input)))).toEqual([]);
    // The check would pass on an empty graph: it is the daemon's.
    expect(graph).toContain('src/daemon/daemon.ts');
  });
});
