/**
 * Files that ship with flow (examples, the JSON Schema) and the command that starts flow itself, wherever this code
 * runs: the npm package (the bundle in dist/, or the sources in src/ under test), or the single executable, where
 * they are SEA assets and nothing of flow's is on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as Sea from 'node:sea';
import { fileURLToPath } from 'node:url';

/** The npm package's name; `import … from` this name (or `flow`) in a TypeScript pipeline gets the API. */
export const PACKAGE_NAME = 'flow-cron';

// Set by the single-executable build (scripts/build-binary.mjs); absent everywhere else.
declare const FLOW_SEA: boolean | undefined;

/** True inside the single executable. */
export const embedded: boolean = typeof FLOW_SEA !== 'undefined' && FLOW_SEA;

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find flow's package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** A shipped file's text, by its path in the package (`examples/hello.flow.yaml`, `schema/pipeline.schema.json`). */
export function shippedText(path: string): string {
  return embedded ? embeddedText(path) : readFileSync(join(packageRoot(), path), 'utf8');
}

/** An asset of the single executable. `node:sea` is required only there: the Node.js 20 of an npm install may lack it. */
export function embeddedText(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:sea') as typeof Sea).getAsset(name, 'utf8');
}

/** The shipped JSON Schema's path on disk, or undefined inside the single executable (it has none on disk). */
export function shippedSchemaPath(): string | undefined {
  return embedded ? undefined : join(packageRoot(), 'schema', 'pipeline.schema.json');
}

/**
 * V8 flags for the commands that start tasks themselves (`run`, `retry`, `backfill`, `worker`), given by
 * bin/flow.js, the single executable's SEA config (scripts/build-binary.mjs) and the systemd units. Every task start
 * forks flow, and fork copies the page tables of all of flow's memory. V8's default young generation grows to 16 MiB
 * semi-spaces that a run fills with short-lived garbage; capped at 2 MiB, a 1000-task run peaks at ~106 MiB instead
 * of ~130 (1 MiB saves no more and doubles the scavenges).
 */
export const RUNNER_V8_FLAGS = ['--max-semi-space-size=2'] as const;

/**
 * The daemon's (bin/flow.js and its systemd unit): its tasks start from its spawners, so its own forks no longer
 * count, while 2 MiB semi-spaces made a 5,000-pipeline burst promote nearly everything it made (measured 8–11 s to
 * the last first task instead of ~4 s). 8 MiB keeps the burst's peak near 270 MiB. The single executable has one
 * set of flags for all its commands (RUNNER_V8_FLAGS).
 */
export const DAEMON_V8_FLAGS = ['--max-semi-space-size=8'] as const;

/**
 * The argv that starts one of flow's own helper processes (the daemon's spawner and pipeline loader): the single
 * executable with the helper's marker argument (src/sea.ts), or node with the helper's script in dist/ and its flags.
 */
export function helperCommand(marker: string, script: string, flags: readonly string[] = []): string[] {
  if (embedded) return [process.execPath, marker];
  return [process.execPath, ...flags, join(packageRoot(), 'dist', script)];
}

/**
 * The environment a helper process starts with: flow's, without the user's NODE_OPTIONS, which flow's own node does
 * not take either (bin/flow.js) and which could break the helper before its first line.
 */
export function helperEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && name !== 'NODE_OPTIONS') env[name] = value;
  return env;
}

/** The argv that starts this flow again (for a systemd unit): the executable itself, or node, its flags and the CLI script. */
export function selfCommand(flags: readonly string[] = RUNNER_V8_FLAGS, argv: readonly string[] = process.argv): string[] {
  if (embedded) return [process.execPath];
  return [process.execPath, ...flags, resolve(argv[1] ?? 'flow')];
}
