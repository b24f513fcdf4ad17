// More benchmark sections: history (record and list at 100 and 100,000 runs), the daemon (fire latency, idle
// cost with 500 pipelines) and the schedule functions (bench/schedule.mjs). Each compares figures measured side by
// side in the same run.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, percentile, sideBySide, timeCommand } from './lib.mjs';
import { scheduleBench } from './schedule.mjs';

const root = new URL('..', import.meta.url).pathname;

export async function loadSeeder(work) {
  const out = join(work, 'seed.mjs');
  await build({ absWorkingDir: root, entryPoints: ['bench/seed-history.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning', external: ['jiti'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } });
  return (await import(out)).seed;
}

async function historyBench({ work, line, flowBin }) {
  const seed = await loadSeeder(work);
  const homes = { small: join(work, 'home-100'), large: join(work, 'home-100k') };
  const t0 = Date.now();
  await seed(homes.small, 1, 100);
  await seed(homes.large, 100, 1000);
  line(`history  seeded 100 and 100,000 runs in ${fmt(Date.now() - t0)}`);
  const dir = join(work, 'history-pipelines');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.flow.yaml'), 'tasks:\n  main:\n    run: "true"\n');
  const flowIn = (home, args) => timeCommand(process.execPath, [flowBin, ...args], { env: { ...process.env, FLOW_HOME: home, NO_COLOR: '1' }, cwd: work });
  const record = await sideBySide(9, {
    small: async () => (await flowIn(homes.small, ['run', join(dir, 'bench.flow.yaml')])).ms,
    large: async () => (await flowIn(homes.large, ['run', join(dir, 'bench.flow.yaml')])).ms,
  });
  const list = await sideBySide(9, {
    small: async () => (await flowIn(homes.small, ['history', '--limit', '20'])).ms,
    large: async () => (await flowIn(homes.large, ['history', '--limit', '20'])).ms,
  });
  const bare = await sideBySide(9, { node: async () => (await timeCommand(process.execPath, ['-e', '0'])).ms });
  line(`history  record a run (flow run, whole command): ${fmt(median(record.small))} at 100 runs, ${fmt(median(record.large))} at 100,000  -> ${(median(record.large) / median(record.small)).toFixed(2)}x (target 2x)`);
  line(`history  flow history --limit 20: ${fmt(median(list.small))} at 100 runs, ${fmt(median(list.large))} at 100,000  -> ${(median(list.large) / median(list.small)).toFixed(2)}x (target 2x); node -e 0 takes ${fmt(median(bare.node))}`);
}

function daemonProcess(dir, home, flowBin) {
  // Started as users start it: through bin/flow.js's launcher line, which gives node the daemon's V8 flags.
  const child = spawn(flowBin, ['daemon', '--dir', dir], { env: { ...process.env, FLOW_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const waitFor = (pattern, ms = 60_000) => new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const check = () => (pattern.test(out) ? resolve() : Date.now() > deadline ? reject(new Error(`daemon: no ${pattern}`)) : setTimeout(check, 50));
    check();
  });
  const stop = () => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  return { child, waitFor, stop, output: () => out };
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function daemonBench({ work, line, flowBin }) {
  // Fire latency: four pipelines every second, 16 s: 64 fires, measured from each run's own record.
  const dir = join(work, 'daemon-fire');
  const home = join(work, 'home-fire');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, `tick${i}.flow.yaml`), 'schedule: "* * * * * *"\ntasks:\n  a:\n    run: "true"\n');
  const daemon = daemonProcess(dir, home, flowBin);
  await daemon.waitFor(/started: 4 scheduled/);
  await new Promise((resolve) => setTimeout(resolve, 16_500));
  await daemon.stop();
  const history = await new Promise((resolve) => {
    const child = spawn(process.execPath, [flowBin, 'history', '--json', '--limit', '1000', '--trigger', 'schedule'], { env: { ...process.env, FLOW_HOME: home } });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.on('exit', () => resolve(JSON.parse(text)));
  });
  const latencies = history.map((run) => Date.parse(run.started_at) - Date.parse(run.logical_date));
  line(`daemon   fire latency over ${latencies.length} fires: median ${median(latencies).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies)} ms (target median < 5, p99 < 20; crond fires ~1.2 s after the minute)`);

  // Idle cost: 500 pipelines loaded, none due for hours.
  const many = join(work, 'daemon-500');
  mkdirSync(many, { recursive: true });
  for (let i = 0; i < 500; i++) writeFileSync(join(many, `p${i}.flow.yaml`), `schedule: "${i % 60} ${(new Date().getUTCHours() + 12) % 24} * * *"\ntimezone: UTC\ntasks:\n  a:\n    run: "true"\n  b:\n    run: "true"\n    depends_on: [a]\n`);
  const idle = daemonProcess(many, join(work, 'home-500'), flowBin);
  await idle.waitFor(/started: 500 scheduled/);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const ticks0 = cpuTicks(idle.child.pid);
  const seconds = 20;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const ticks = cpuTicks(idle.child.pid) - ticks0;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${idle.child.pid}/status`, 'utf8'))?.[1] ?? 0);
  await idle.stop();
  const node = await timeCommand(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { sampleRss: true });
  line(`daemon   idle with 500 pipelines: RSS ${(rss / 1024).toFixed(0)} MiB (a bare node process: ${(node.peakKiB / 1024).toFixed(0)} MiB; target 60 MiB), CPU ${((ticks / 100 / seconds) * 100).toFixed(2)}% over ${seconds} s (target ~0)`);
}

export const sections = {
  history: historyBench,
  daemon: daemonBench,
  schedule: scheduleBench,
  // The web UI (bench/ui.mjs), loaded only when run.
  // Then the Pipeline, Run and Log views (bench/ui-views.mjs).
  ui: async (context) => {
    await (await import('./ui.mjs')).uiBench(context);
    await (await import('./ui-views.mjs')).uiViewsBench(context);
  },
};
