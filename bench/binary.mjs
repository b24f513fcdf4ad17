// The single executable (dist/flow-linux-x64, from `npm run build:binary`), side by side in one run with the
// machine's `node -e 0` and the npm build: `--version`, `history --limit 20` over 100 runs, and its size raw and
// gzipped. Targets: --version at most 1.2x node -e 0; at most 110 MiB raw.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fmt, median, sideBySide, timeCommand } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const binary = join(root, 'dist', 'flow-linux-x64');

export async function binaryBench({ work, line, flowBin }) {
  if (!existsSync(binary)) {
    line('binary   dist/flow-linux-x64 is missing: run `npm run build:binary` (npm run bench does)');
    return;
  }
  const env = { ...process.env, FLOW_HOME: join(work, 'home-binary'), NO_COLOR: '1' };
  writeFileSync(join(work, 'binary.flow.yaml'), 'tasks:\n  main:\n    run: "true"\n');
  for (let i = 0; i < 100; i++) await timeCommand(binary, ['run', 'binary.flow.yaml'], { env, cwd: work });
  const node = async () => (await timeCommand(process.execPath, ['-e', '0'])).ms;
  const times = await sideBySide(15, {
    node,
    version: async () => (await timeCommand(binary, ['--version'], { env, cwd: work })).ms,
    history: async () => (await timeCommand(binary, ['history', '--limit', '20'], { env, cwd: work })).ms,
    npmVersion: async () => (await timeCommand(process.execPath, [flowBin, '--version'], { env, cwd: work })).ms,
    npmHistory: async () => (await timeCommand(process.execPath, [flowBin, 'history', '--limit', '20'], { env, cwd: work })).ms,
  });
  const base = median(times.node);
  const ratio = (key) => `${fmt(median(times[key]))} (${(median(times[key]) / base).toFixed(2)}x)`;
  line(`binary   node -e 0 (${process.version}) ${fmt(base)}; single executable: --version ${ratio('version')} (target 1.2x), history --limit 20 ${ratio('history')}; npm build: --version ${ratio('npmVersion')}, history --limit 20 ${ratio('npmHistory')}`);
  const raw = readFileSync(binary);
  const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  line(`binary   size of dist/flow-linux-x64: ${mib(raw.length)} raw (target 110 MiB), ${mib(gzipSync(raw).length)} gzip`);
}

