/**
 * Runs the built `flow` binary the way a user does, against temporary directories, with a fixed environment:
 * FLOW_HOME and HOME in the fixture, NO_COLOR set, nothing inherited that could change its behaviour.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FLOW_BIN = join(ROOT, 'bin', 'flow.js');

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Fixture {
  dir: string;
  home: string;
  env: Record<string, string>;
  path(...parts: string[]): string;
  write(files: Record<string, string>): void;
  flow(args: string[], options?: { env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<Result>;
  start(args: string[], options?: { env?: Record<string, string> }): Running;
}

const made: string[] = [];
const started: ChildProcess[] = [];
afterAll(() => {
  // A failed step must not leave a flow process (or its tasks) running into the next test file.
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory holding `files`, removed when the test file ends. */
export function fixture(files: Record<string, string> = {}): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'flow-test-'));
  made.push(dir);
  const home = join(dir, '.flow-home');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    FLOW_HOME: home,
    FLOW_PIPELINES: join(dir, 'pipelines'),
    NO_COLOR: '1',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
  };
  const self: Fixture = {
    dir,
    home,
    env,
    path: (...parts) => join(dir, ...parts),
    write(more) {
      for (const [name, text] of Object.entries(more)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
    },
    flow: (args, options = {}) => runFlow(args, { cwd: dir, env: { ...env, ...options.env }, input: options.input, timeoutMs: options.timeoutMs }),
    start: (args, options = {}) => {
      const child = spawn(process.execPath, [FLOW_BIN, ...args], { cwd: dir, env: { ...env, ...options.env } });
      started.push(child);
      return new Running(child);
    },
  };
  self.write(files);
  return self;
}

export function runFlow(args: string[], options: { cwd: string; env: Record<string, string>; input?: string | undefined; timeoutMs?: number | undefined }): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [FLOW_BIN, ...args], { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flow ${args.join(' ')} did not finish in ${options.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/**
 * A long-running flow process driven by ordered steps: wait for some output, then act. A step that times out fails
 * with the name of what it was waiting for and everything printed so far.
 */
export class Running {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Result>;
  private listeners: (() => void)[] = [];

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolvePromise) =>
      child.on('close', (code, signal) => {
        this.notify();
        resolvePromise({ code, signal, stdout: this.stdout, stderr: this.stderr });
      }),
    );
  }

  /** Waits until `test` holds for the output so far (or a file condition), or fails naming `what`. */
  async waitFor(what: string, test: (out: { stdout: string; stderr: string }) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolvePromise) => {
        const timer = setTimeout(resolvePromise, 50);
        this.listeners.push(() => {
          clearTimeout(timer);
          resolvePromise();
        });
      });
    }
  }

  signal(name: NodeJS.Signals): void {
    this.child.kill(name);
  }

  private notify(): void {
    for (const listener of this.listeners.splice(0)) listener();
  }
}

/** True while a process with this pid exists (and is not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSyncSafe(`/proc/${pid}/stat`);
    return stat === undefined || !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return true;
  }
}

function readFileSyncSafe(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Polls `condition` every 50 ms for up to `timeoutMs`. */
export async function eventually(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}
