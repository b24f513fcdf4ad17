// Trigger-to-first-task latency: from the moment a trigger request is sent to the daemon's socket until the run's
// first task has started (the task itself writes the time), side by side with the same measure for `flow run`
// (from spawning it until its first task starts). Target: median ≤ 50 ms for a trigger.
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, percentile } from './lib.mjs';

const ROUNDS = 21;

function post(socket, path) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(text))));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

async function waitForFile(file, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error(`no ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // The task wrote the wall clock in milliseconds (date +%s%3N), the clock Date.now() reads.
  return Number(readFileSync(file, 'utf8').trim());
}

export async function triggerBench({ work, line, flowBin }) {
  const dir = join(work, 'trigger-pipelines');
  const home = join(work, 'home-trigger');
  const mark = join(work, 'trigger-first-task');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'now.flow.yaml'), `tasks:\n  first:\n    run: date +%s%3N > ${mark}\n`);
  const env = { ...process.env, FLOW_HOME: home, NO_COLOR: '1' };
  const daemon = spawn(process.execPath, [flowBin, 'daemon', '--dir', dir], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  daemon.stdout.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + 60_000;
  while (!/API on /.test(out)) {
    if (Date.now() > deadline) throw new Error('the daemon did not serve its API');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const socket = join(home, 'daemon.sock');
  const api = [];
  const cli = [];
  const run = [];
  for (let i = 0; i < ROUNDS; i++) {
    rmSync(mark, { force: true });
    let sent = Date.now();
    await post(socket, '/api/v1/pipelines/now/trigger');
    api.push((await waitForFile(mark)) - sent);
    await new Promise((resolve) => setTimeout(resolve, 50));

    rmSync(mark, { force: true });
    sent = Date.now();
    spawn(process.execPath, [flowBin, 'trigger', 'now'], { env, stdio: 'ignore' });
    cli.push((await waitForFile(mark)) - sent);
    await new Promise((resolve) => setTimeout(resolve, 50));

    rmSync(mark, { force: true });
    sent = Date.now();
    const child = spawn(process.execPath, [flowBin, 'run', join(dir, 'now.flow.yaml')], { env, stdio: 'ignore' });
    run.push((await waitForFile(mark)) - sent);
    await new Promise((resolve) => child.on('exit', resolve));
  }
  await new Promise((resolve) => {
    daemon.on('exit', resolve);
    daemon.kill('SIGTERM');
  });
  line(`trigger  request to first task over ${ROUNDS} triggers: median ${fmt(median(api))}, p90 ${fmt(percentile(api, 90))} (target median <= 50 ms)`);
  line(`trigger  \`flow trigger\` (whole command) to first task: median ${fmt(median(cli))}; \`flow run\` to first task: median ${fmt(median(run))}  -> a trigger request is ${(median(api) / median(run)).toFixed(2)}x flow run`);
}
