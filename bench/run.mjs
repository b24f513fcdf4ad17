// `npm run bench`: figures for flow measured side by side with a baseline in the same run, reported as ratios.
// Sections: spawn (1000 tasks vs make -j2), output (1 GiB vs sh redirect), startup (flow --version vs node -e 0),
// binary (the single executable against node -e 0), and the ones later sections add. `node bench/run.mjs spawn output` runs just those.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, sideBySide, timeCommand } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const flowBin = join(root, 'bin', 'flow.js');
const work = join(root, 'bench', '.tmp');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const env = { ...process.env, FLOW_HOME: join(work, 'home'), NO_COLOR: '1' };
const flow = (args, options = {}) => timeCommand(process.execPath, [flowBin, ...args], { env, cwd: work, ...options });
const wanted = new Set(process.argv.slice(2));
const want = (name) => wanted.size === 0 || wanted.has(name);
const line = (text) => console.log(text);

async function spawnBench() {
  const n = 1000;
  const ids = Array.from({ length: n }, (_, i) => `t${i}`);
  const yaml = (chain) =>
    `tasks:\n${ids.map((id, i) => `  ${id}:\n    run: "true"\n${chain && i > 0 ? `    depends_on: [t${i - 1}]\n` : ''}`).join('')}`;
  const make = (chain) =>
    `.PHONY: all ${ids.join(' ')}\nall: ${chain ? ids.at(-1) : ids.join(' ')}\n${ids.map((id, i) => `${id}:${chain && i > 0 ? ` t${i - 1}` : ''}\n\ttrue\n`).join('')}`;
  for (const [name, chain] of [['fan-out', false], ['chain', true]]) {
    writeFileSync(join(work, `${name}.flow.yaml`), yaml(chain));
    writeFileSync(join(work, `${name}.mk`), make(chain));
    const times = await sideBySide(3, {
      flow: async () => (await flow(['run', `${name}.flow.yaml`, '--concurrency', '2'])).ms,
      make: async () => (await timeCommand('make', ['-s', '-j2', '-f', `${name}.mk`], { cwd: work })).ms,
    });
    const ratio = median(times.flow) / median(times.make);
    line(`spawn  ${n} tasks, ${name.padEnd(7)} concurrency 2: flow ${fmt(median(times.flow))}, make -j2 ${fmt(median(times.make))}  -> ${ratio.toFixed(2)}x make (target ${chain ? '3' : '4'}x)`);
  }
}

async function outputBench() {
  const bytes = 1024 ** 3;
  const command = `head -c ${bytes} /dev/zero`;
  writeFileSync(join(work, 'output.flow.yaml'), `tasks:\n  big:\n    run: ${command}\n`);
  let peak = 0;
  const times = await sideBySide(3, {
    flow: async () => {
      const result = await flow(['run', 'output.flow.yaml'], { sampleRss: true });
      peak = Math.max(peak, result.peakKiB);
      rmSync(join(work, 'home', 'logs'), { recursive: true, force: true });
      return result.ms;
    },
    shell: async () => {
      const result = await timeCommand('sh', ['-c', `${command} > ${join(work, 'out.bin')}`]);
      rmSync(join(work, 'out.bin'), { force: true });
      return result.ms;
    },
  });
  const ratio = median(times.flow) / median(times.shell);
  line(`output 1 GiB to the log: flow ${fmt(median(times.flow))}, sh -c 'cmd > file' ${fmt(median(times.shell))}  -> ${ratio.toFixed(2)}x (target 2.5x); flow peak RSS ${(peak / 1024).toFixed(0)} MiB (target < 150)`);
}

async function startupBench() {
  const times = await sideBySide(15, {
    flow: async () => (await flow(['--version'])).ms,
    node: async () => (await timeCommand(process.execPath, ['-e', '0'])).ms,
  });
  const ratio = median(times.flow) / median(times.node);
  line(`start  flow --version ${fmt(median(times.flow))}, node -e 0 ${fmt(median(times.node))}  -> ${ratio.toFixed(2)}x (target 1.6x)`);
  const help = await sideBySide(9, {
    flow: async () => (await flow(['--help'])).ms,
    node: async () => (await timeCommand(process.execPath, ['-e', '0'])).ms,
  });
  line(`start  flow --help (loads the CLI) ${fmt(median(help.flow))}  -> ${(median(help.flow) / median(help.node)).toFixed(2)}x node -e 0`);
}

const sections = { spawn: spawnBench, output: outputBench, startup: startupBench };
const extra = await import('./sections.mjs').then((module) => module.sections, () => ({}));
const { binaryBench } = await import('./binary.mjs');
const { triggerBench } = await import('./trigger.mjs');
const { burstBench } = await import('./burst.mjs');
for (const [name, run] of Object.entries({ ...sections, ...extra, trigger: triggerBench, burst: burstBench, binary: binaryBench })) {
  if (want(name)) await run({ flow, work, env, line, flowBin });
}
rmSync(work, { recursive: true, force: true });
