// Cluster, per-task overhead: the cost per task of going through Redis and workers. 1000 `true` tasks (fan-out, concurrency 2) run by
// `flow run` with two local `flow worker --concurrency 1` on a local redis-server (AOF on, appendfsync everysec, as
// production should be), against the same pipeline run by the local executor; side by side, as a ratio. The run's
// own duration comes from its record (`flow run --json`: started to ended), leaving out start-up.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fmt, median, sideBySide } from './lib.mjs';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Starts a process and resolves once its output matches `ready`. */
function startUntil(file, args, options, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let said = '';
    const hear = (chunk) => {
      said += chunk;
      if (ready.test(said)) resolve(child);
    };
    child.stdout.on('data', hear);
    child.stderr.on('data', hear);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${file} exited ${code} before it was ready: ${said}`)));
  });
}

export async function overheadBench({ work, line, flowBin }) {
  const dir = join(work, 'cluster');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const redis = await startUntil('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''], {}, /Ready to accept connections/);
  const base = { ...process.env, NO_COLOR: '1' };
  const cluster = { ...base, FLOW_REDIS_URL: `redis://127.0.0.1:${port}` };
  const workers = [];
  try {
    for (const name of ['w1', 'w2']) {
      workers.push(await startUntil(process.execPath, [flowBin, 'worker', '--concurrency', '1'], { env: { ...cluster, FLOW_HOME: join(dir, name) } }, /takes tasks of pool/));
    }
    const tasks = Array.from({ length: 1000 }, (_, i) => `  t${i}:\n    run: "true"\n`).join('');
    writeFileSync(join(dir, 'fan.flow.yaml'), `tasks:\n${tasks}`);
    /** The run's own duration, from the record `flow run --json` prints. */
    const inRun = (env) =>
      new Promise((resolve, reject) =>
        execFile(process.execPath, [flowBin, 'run', 'fan.flow.yaml', '--concurrency', '2', '--json'], { env, cwd: dir, maxBuffer: 256 * 2 ** 20 }, (error, out) => {
          if (error) return reject(error);
          const run = JSON.parse(out);
          resolve(Date.parse(run.ended_at) - Date.parse(run.started_at));
        }),
      );
    const local = { ...base, FLOW_HOME: join(dir, 'local') };
    const remote = { ...cluster, FLOW_HOME: join(dir, 'scheduler') };
    const times = await sideBySide(3, { local: () => inRun(local), cluster: () => inRun(remote) });
    const perLocal = median(times.local) / 1000;
    const perCluster = median(times.cluster) / 1000;
    line(`cluster  per task, 1000 \`true\` tasks, concurrency 2: through Redis and 2 local workers ${fmt(perCluster)}, local executor ${fmt(perLocal)}  -> ${(perCluster / perLocal).toFixed(2)}x`);
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    redis.kill('SIGTERM');
  }
}
