// npm run build:binary [-- x64|arm64 ...]: the single executables dist/flow-linux-x64 and dist/flow-linux-arm64 (each
// also under the name `uname -m` gives: flow-linux-x86_64, flow-linux-aarch64), and dist/SHA256SUMS.
//
// Node's Single Executable Application recipe: one CommonJS bundle of the CLI (esbuild), a SEA blob holding it and
// the assets (examples, JSON Schema, jiti), made by the target's own Node.js 24 (the pinned node-linux-* packages in
// packaging/, whose lockfile keeps them out of the root install), injected into a stripped copy of that runtime
// with postject. The blob carries V8's code cache where the build can run the target's node: natively, or under
// qemu-user-static for the other architecture; else it goes without. Inputs unchanged since the last build: kept.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch as hostArch } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { uiAssetsDefine } from './ui-assets.mjs';
import { buildId } from './build-id.mjs';

const root = new URL('..', import.meta.url).pathname;
const packaging = join(root, 'packaging');
const work = join(root, 'dist', 'sea');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
// `uname -m` for each of Node's architecture names, so `install flow-linux-$(uname -m)` finds its file.
const UNAME = { x64: 'x86_64', arm64: 'aarch64' };
const TARGETS = {
  x64: { strip: 'strip', emulator: [] },
  arm64: { strip: 'aarch64-linux-gnu-strip', emulator: ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'] },
};

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(TARGETS);

class BuildFailure extends Error {}

try {
  for (const name of wanted) if (!(name in TARGETS)) fail(`unknown target "${name}" (x64 or arm64)`);
  installPackaging();
  mkdirSync(work, { recursive: true });
  const assets = await bundle();
  for (const name of wanted) buildTarget(name, assets);
  writeSums();
} catch (error) {
  if (!(error instanceof BuildFailure)) throw error;
  console.error(`build-binary: ${error.message}`);
  process.exitCode = 1;
}

function fail(message) {
  throw new BuildFailure(message);
}

function have(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function sha256(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** packaging/node_modules as its lockfile says, installed again only when the lockfile changed. */
function installPackaging() {
  const stamp = join(packaging, 'node_modules', '.flow-lock-sha256');
  const lock = sha256(readFileSync(join(packaging, 'package-lock.json')));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lock) return;
  console.error('build-binary: installing packaging/ (the pinned Node.js runtimes and postject)');
  // --force: each runtime package declares its own cpu; both are wanted here whatever the host's.
  execFileSync('npm', ['ci', '--force', '--ignore-scripts', '--no-bin-links', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: packaging, stdio: 'inherit' });
  writeFileSync(stamp, lock);
}

/** The CLI as one CommonJS file, and the assets the executable carries. */
async function bundle() {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/sea.ts'],
    outfile: join(work, 'flow.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node24',
    minifyWhitespace: true,
    minifySyntax: true,
    // jiti travels as assets, evaluated only for a .ts pipeline (src/pipeline/jiti.ts).
    external: ['jiti'],
    // The web UI's script and stylesheet travel inside the bundle (src/ui/assets.ts).
    define: { FLOW_VERSION: JSON.stringify(version), FLOW_BUILD: JSON.stringify(buildId(pathToFileURL(root))), FLOW_SEA: 'true', 'import.meta.url': 'undefined', ...(await uiAssetsDefine(pathToFileURL(root))) },
    logLevel: 'warning',
  });
  const jiti = join(root, 'node_modules', 'jiti', 'dist');
  writeFileSync(join(work, 'import.cjs'), 'module.exports = (id) => import(id);\n');
  return {
    'examples/hello.flow.yaml': join(root, 'examples', 'hello.flow.yaml'),
    'examples/hello-ts.flow.ts': join(root, 'examples', 'hello-ts.flow.ts'),
    'schema/pipeline.schema.json': join(root, 'schema', 'pipeline.schema.json'),
    'jiti/jiti.cjs': join(jiti, 'jiti.cjs'),
    'jiti/babel.cjs': join(jiti, 'babel.cjs'),
    'jiti/import.cjs': join(work, 'import.cjs'),
  };
}

function runtimePath(name) {
  return join(packaging, 'node_modules', `node-linux-${name}`, 'bin', 'node');
}

/** How to run the target's node here, or undefined when this machine cannot. */
function runner(name) {
  const { emulator } = TARGETS[name];
  if (name === hostArch()) return [];
  if (emulator.length > 0 && have(emulator[0]) && existsSync(emulator[2])) return emulator;
  return undefined;
}

function buildTarget(name, assets) {
  const output = join(root, 'dist', `flow-linux-${name}`);
  const run = runner(name);
  const runtime = runtimePath(name);
  const config = {
    main: join(work, 'flow.cjs'),
    output: join(work, `flow-${name}.blob`),
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: run !== undefined,
    // A user's NODE_OPTIONS (say, --require of a file that is gone) must not change or break flow.
    execArgvExtension: 'none',
    // RUNNER_V8_FLAGS (src/util/package.ts): a small young generation keeps each fork of a task start cheap.
    execArgv: ['--max-semi-space-size=2'],
    assets,
  };
  const inputs = sha256(
    JSON.stringify(config),
    String(have(TARGETS[name].strip)),
    readFileSync(config.main),
    ...Object.values(assets).map((file) => readFileSync(file)),
    `${statSync(runtime).size}:${readFileSync(join(packaging, 'package-lock.json'))}`,
  );
  const stamp = join(work, `flow-${name}.inputs`);
  if (existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) {
    console.error(`build-binary: ${name}: up to date`);
    return;
  }
  rmSync(stamp, { force: true });
  const { strip } = TARGETS[name];
  // Unstripped, the file still works (about 20 MiB larger): fine for tests on a machine without the tool, not to ship.
  const canStrip = have(strip);
  if (!canStrip) console.error(`build-binary: ${name}: \`${strip}\` is not installed (Debian: binutils${name === hostArch() ? '' : '-aarch64-linux-gnu'}): building it NOT stripped`);
  const started = Date.now();
  const configFile = join(work, `sea-config-${name}.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  // The blob is made by the target's own node, so the code cache fits its V8; without code cache any node 24 will do.
  const maker = run ?? [];
  const makerNode = run === undefined ? runtimePath(hostArch()) : runtime;
  quiet(maker[0] ?? makerNode, [...maker.slice(1), ...(maker.length > 0 ? [makerNode] : []), '--experimental-sea-config', configFile]);

  const temporary = `${output}.tmp`;
  rmSync(temporary, { force: true });
  copyFileSync(runtime, temporary);
  if (canStrip) execFileSync(strip, [temporary]);
  injectBlob(temporary, readFileSync(config.output));
  rmSync(output, { force: true });
  execFileSync('mv', [temporary, output]);
  const alias = join(root, 'dist', `flow-linux-${UNAME[name]}`);
  rmSync(alias, { force: true });
  linkSync(output, alias);
  writeFileSync(stamp, inputs);
  const mib = (statSync(output).size / 2 ** 20).toFixed(1);
  console.error(`build-binary: ${name}: dist/flow-linux-${name} (${mib} MiB, ${config.useCodeCache ? 'with' : 'without'} code cache${canStrip ? '' : ', not stripped'}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function injectBlob(file, blob) {
  // postject's own CLI, run by this node: it edits the ELF file in place, adding the blob as a note.
  const postject = createRequire(join(packaging, 'package.json')).resolve('postject/dist/cli.js');
  writeFileSync(`${file}.blob`, blob);
  try {
    quiet(process.execPath, [postject, file, 'NODE_SEA_BLOB', `${file}.blob`, '--sentinel-fuse', FUSE]);
  } finally {
    rmSync(`${file}.blob`, { force: true });
  }
}

/** Runs a tool whose chatter (postject warns about every ELF note it keeps) is shown only when it fails. */
function quiet(command, args) {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    fail(`${command} ${args.join(' ')} failed`);
  }
}

/** SHA256SUMS for every executable in dist/, under both its names. */
function writeSums() {
  const lines = [];
  for (const name of Object.keys(TARGETS)) {
    const file = join(root, 'dist', `flow-linux-${name}`);
    if (!existsSync(file)) continue;
    const sum = sha256(readFileSync(file));
    lines.push(`${sum}  flow-linux-${name}`, `${sum}  flow-linux-${UNAME[name]}`);
  }
  writeFileSync(join(root, 'dist', 'SHA256SUMS'), `${lines.join('\n')}\n`);
}
