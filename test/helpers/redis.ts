/**
 * A real redis-server for cluster tests: its own temp directory, a free loopback port, AOF on with an fsync per
 * write (appendonly yes, appendfsync always) so a stop and start keeps every acknowledged write, as production
 * should. Controls for the faults the tests inject: stop/start (same port and data), pause/resume
 * (SIGSTOP/SIGCONT), kill (SIGKILL). Every server and directory is removed when the test file ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { WAIT_MS } from './flow.js';

export const REDIS_SERVER = process.env.FLOW_TEST_REDIS ?? '/usr/bin/redis-server';

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:PORT` (with the password when there is one). */
  url: string;
  dir: string;
  /** The running server's pid (changes across stop/start). */
  pid(): number;
  /** SIGTERM and wait for it to exit (Redis flushes the AOF first). */
  stop(): Promise<void>;
  /** Start again on the same port and directory, after `stop` or `kill`; resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGSTOP: the server holds every connection open and answers nothing. */
  pause(): void;
  /** SIGCONT after `pause`. */
  resume(): void;
  /** SIGKILL and wait for it to exit. */
  kill(): Promise<void>;
}

const servers: { child(): ChildProcess | undefined }[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const server of servers.splice(0)) {
    const child = server.child();
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A free loopback port (another process may take it before Redis does: `startRedis` tries again then). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flow-redis-'));
  dirs.push(dir);
  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--logfile', '', '--maxmemory-policy', 'noeviction'];
    if (options.password !== undefined) args.push('--requirepass', options.password);
    const started = spawn(REDIS_SERVER, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    await new Promise<void>((resolve, reject) => {
      let said = '';
      const timer = setTimeout(() => reject(new Error(`timed out after ${WAIT_MS / 1000}s waiting for redis-server to accept connections on port ${port}\n${said}`)), WAIT_MS);
      const hear = (chunk: Buffer): void => {
        said += chunk.toString('utf8');
        if (/Ready to accept connections/.test(said)) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', hear);
      started.stderr?.on('data', hear);
      started.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      started.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${signal ?? code}) before accepting connections on port ${port}\n${said}`));
      });
    });
    started.stdout?.resume();
    started.stderr?.resume();
  };
  const exited = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const done = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    if (signal === 'SIGKILL') running.kill('SIGCONT');
    running.kill(signal);
    await done;
  };
  for (let tries = 1; ; tries += 1) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      // Another process took the port between freePort and redis-server's bind.
      if (tries >= 3 || !/Address already in use/.test(String(error))) throw error;
    }
  }
  servers.push({ child: () => child });
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    dir,
    pid: () => child?.pid ?? 0,
    stop: () => exited('SIGTERM'),
    start: launch,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    kill: () => exited('SIGKILL'),
  };
}
