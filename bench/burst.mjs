// The daemon's burst: N pipelines on `* * * * *` all due at the same minute, with a real daemon and the real clock
// (it waits for the next minute). Measured from the records: each run's first task start against the minute; and
// the daemon's RSS sampled from just before the minute until every run is recorded. Targets: 1,000 pipelines, the
// last first task ≤ 1.5 s after the minute; 5,000, ≤ 5 s (≥ 1,000 starts a second); peak RSS ≤ 250 MiB.
// `node bench/run.mjs burst` runs 1,000 and 5,000; FLOW_BENCH_BURST=300,1000 picks the sizes.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, percentile } from './lib.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function rssKiB(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Records of runs that ended, read straight from the run files. */
function endedRecords(home) {
  const runs = join(home, 'runs');
  const records = [];
  let names = [];
  try {
    names = readdirSync(runs);
  } catch {
    return records;
  }
  for (const pipeline of names) {
    for (const file of readdirSync(join(runs, pipeline))) {
      if (!file.endsWith('.json')) continue;
      try {
        records.push(JSON.parse(readFileSync(join(runs, pipeline, file), 'utf8')));
      } catch {
        // being renamed into place
      }
    }
  }
  return records;
}

function countEnded(home) {
  const runs = join(home, 'runs');
  let count = 0;
  try {
    for (const pipeline of readdirSync(runs)) count += readdirSync(join(runs, pipeline)).filter((file) => file.endsWith('.json')).length;
  } catch {
    // not yet made
  }
  return count;
}

async function burst(n, { work, line, flowBin }) {
  const dir = join(work, `burst-${n}`);
  const home = join(work, `home-burst-${n}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `b${i}.flow.yaml`), 'schedule: "* * * * *"\ntasks:\n  a:\n    run: "true"\n');
  // Started as users start it: through bin/flow.js's launcher line (which execs node with the daemon's V8 flags, same pid).
  const child = spawn(flowBin, ['daemon', '--dir', dir], { env: { ...process.env, FLOW_HOME: home, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const loadedBy = Date.now() + 600_000;
  while (!new RegExp(`started: ${n} scheduled`).test(out)) {
    if (Date.now() > loadedBy || child.exitCode !== null) throw new Error(`burst: the daemon did not load ${n} pipelines:\n${out}`);
    await sleep(100);
  }
  // The next minute at least 3 s away, so that loading is over before it.
  let minute = Math.ceil(Date.now() / 60_000) * 60_000;
  if (minute - Date.now() < 3_000) minute += 60_000;
  await sleep(minute - 1_000 - Date.now());
  const before = rssKiB(child.pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKiB(child.pid))), 50);
  const doneBy = minute + 300_000;
  while (countEnded(home) < n && Date.now() < doneBy) await sleep(500);
  clearInterval(sampler);
  await new Promise((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  const records = endedRecords(home).filter((record) => Date.parse(record.logical_date) === minute);
  const delays = records.map((record) => Date.parse(record.tasks[0]?.attempts[0]?.started_at ?? 'x') - minute).filter((ms) => Number.isFinite(ms));
  const last = Math.max(...delays);
  // Where the time goes: the run's own start (the daemon fired it) against the minute, and its first task after it.
  const fired = records.map((record) => Date.parse(record.started_at) - minute);
  const target = n >= 5000 ? '≤ 5 s' : n >= 1000 ? '≤ 1.5 s' : 'none';
  line(
    `burst    ${n} pipelines due at one minute: ${delays.length} started; first task after the minute: median ${fmt(median(delays))}, p99 ${fmt(percentile(delays, 99))}, last ${fmt(last)} (target ${target}) -> ${(delays.length / (last / 1000)).toFixed(0)} starts/s (runs fired: median ${fmt(median(fired))}, last ${fmt(Math.max(...fired))}); daemon RSS ${(before / 1024).toFixed(0)} MiB before, peak ${(peak / 1024).toFixed(0)} MiB (target ≤ 250)`,
  );
  if (process.env.FLOW_BENCH_KEEP === undefined) {
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

export async function burstBench(context) {
  const sizes = (process.env.FLOW_BENCH_BURST ?? '1000,5000').split(',').map(Number);
  for (const n of sizes) await burst(n, context);
}
