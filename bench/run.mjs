// `npm run bench`: figures for flow measured side by side with a baseline in the same run, reported as ratios.
// Sections: spawn (1000 tasks vs make -j2, and 10,000 tasks' cost per task), output (1 GiB vs sh redirect), startup (flow --version vs node -e 0),
// binary (the single executable against node -e 0), commands and validate (bench/commands.mjs), and the ones later sections add. `node bench/run.mjs spawn output` runs just those.
import { execFile } from 'node:child_process';
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
  // flow is started as users start it, through bin/flow.js's launcher line (which gives node the V8 flags of run).
  const flowRun = (file) => timeCommand(flowBin, ['run', file, '--concurrency', '2'], { env, cwd: work, sampleRss: true });
  const ids = (n) => Array.from({ length: n }, (_, i) => `t${i}`);
  const yaml = (n, chain) => `tasks:\n${ids(n).map((id, i) => `  ${id}:\n    run: "true"\n${chain && i > 0 ? `    depends_on: [t${i - 1}]\n` : ''}`).join('')}`;
  const make = (n, chain) =>
    `.PHONY: all ${ids(n).join(' ')}\nall: ${chain ? ids(n).at(-1) : ids(n).join(' ')}\n${ids(n).map((id, i) => `${id}:${chain && i > 0 ? ` t${i - 1}` : ''}\n\ttrue\n`).join('')}`;
  /** The run's own duration from its record (started to ended), which leaves out start-up and validation. */
  const runMs = async (name) => {
    const { stdout } = await new Promise((resolve, reject) =>
      execFile(process.execPath, [flowBin, 'history', name, '--json', '--limit', '1'], { env, maxBuffer: 64 * 2 ** 20 }, (error, out) => (error ? reject(error) : resolve({ stdout: out }))),
    );
    const [run] = JSON.parse(stdout);
    return Date.parse(run.ended_at) - Date.parse(run.started_at);
  };
  let peakKiB = 0;
  const perTask = { 1000: [], 10000: [] };
  const inRun = { 1000: [], 10000: [] };
  for (const [name, chain] of [['fan-out', false], ['chain', true]]) {
    writeFileSync(join(work, `${name}.flow.yaml`), yaml(1000, chain));
    writeFileSync(join(work, `${name}.mk`), make(1000, chain));
    const times = await sideBySide(3, {
      flow: async () => {
        const result = await flowRun(`${name}.flow.yaml`);
        peakKiB = Math.max(peakKiB, result.peakKiB);
        if (!chain) {
          perTask[1000].push(result.ms / 1000);
          inRun[1000].push((await runMs(name)) / 1000);
        }
        return result.ms;
      },
      make: async () => (await timeCommand('make', ['-s', '-j2', '-f', `${name}.mk`], { cwd: work })).ms,
      // Node's own floor: a bare script that only starts the same 1000 processes through execa (bench/spawn-floor.mjs).
      node: async () => (await timeCommand(process.execPath, [join(root, 'bench', 'spawn-floor.mjs'), '1000', chain ? '1' : '2', join(work, 'floor')], { cwd: work })).ms,
    });
    const ratio = median(times.flow) / median(times.make);
    const floor = median(times.node) / median(times.make);
    line(
      `spawn  1000 tasks, ${name.padEnd(7)} concurrency 2: flow ${fmt(median(times.flow))}, make -j2 ${fmt(median(times.make))}  -> ${ratio.toFixed(2)}x make (target ${chain ? '2' : '3'}x); ` +
        `a bare node script starting the same processes: ${fmt(median(times.node))} -> ${floor.toFixed(2)}x make, flow ${(median(times.flow) / median(times.node)).toFixed(2)}x it`,
    );
  }
  line(`spawn  flow peak RSS during those runs: ${(peakKiB / 1024).toFixed(0)} MiB`);
  // 10,000 tasks: the cost of each should not grow with the run (nothing quadratic on the spawn path).
  writeFileSync(join(work, 'fan-out-10k.flow.yaml'), yaml(10_000, false));
  for (let round = 0; round < 3; round++) {
    const small = await flowRun('fan-out.flow.yaml');
    perTask[1000].push(small.ms / 1000);
    inRun[1000].push((await runMs('fan-out')) / 1000);
    const large = await flowRun('fan-out-10k.flow.yaml');
    perTask[10000].push(large.ms / 10_000);
    inRun[10000].push((await runMs('fan-out-10k')) / 10_000);
  }
  const ratio = median(inRun[10000]) / median(inRun[1000]);
  line(
    `spawn  per task, fan-out, in the run: 10,000 tasks ${fmt(median(inRun[10000]))}, 1000 tasks ${fmt(median(inRun[1000]))}  -> ${ratio.toFixed(2)}x (target 1.2x); ` +
      `whole command (with start-up and validation): ${fmt(median(perTask[10000]))} vs ${fmt(median(perTask[1000]))} -> ${(median(perTask[10000]) / median(perTask[1000])).toFixed(2)}x`,
  );
}

async function outputBench() {
  const bytes = 1024 ** 3;
  const command = `head -c ${bytes} /dev/zero`;
  writeFileSync(join(work, 'output.flow.yaml'), `tasks:\n  big:\n    run: ${command}\n`);
  let peak = 0;
  const times = await sideBySide(3, {
    flow: async () => {
      const result = await timeCommand(flowBin, ['run', 'output.flow.yaml'], { env, cwd: work, sampleRss: true });
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
  line(`output 1 GiB to the log: flow ${fmt(median(times.flow))}, sh -c 'cmd > file' ${fmt(median(times.shell))}  -> ${ratio.toFixed(2)}x (target 1.5x); flow peak RSS ${(peak / 1024).toFixed(0)} MiB (target < 100)`);
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
const { clusterBench } = await import('./cluster.mjs');
const { commandsBench, validateBench } = await import('./commands.mjs');
for (const [name, run] of Object.entries({ ...sections, ...extra, commands: commandsBench, validate: validateBench, trigger: triggerBench, burst: burstBench, cluster: clusterBench, binary: binaryBench })) {
  if (want(name)) await run({ flow, work, env, line, flowBin });
}
rmSync(work, { recursive: true, force: true });
