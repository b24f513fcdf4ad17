/**
 * Runs the built `flow` binary the way a user does, against temporary directories, with a fixed environment:
 * FLOW_HOME and HOME in the fixture, NO_COLOR set, nothing inherited that could change its behaviour.
 *
 * With FLOW_TEST_BINARY set (a path, relative to the repository or absolute) the same tests run the single
 * executable instead of the npm build's bin/flow.js.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/**
 * Deadlines for waits. They bound how long a test waits for something that should happen, never how fast it
 * happens: the suite must pass on a 2-core machine running other work (load averages of 10 and more), where
 * starting node alone can take seconds. A condition that holds returns at once, so a generous deadline costs
 * nothing on an idle machine. How fast things happen is measured by `npm run bench`.
 */
export const WAIT_MS = 60_000;
/** How long one `flow` command may take before the test fails naming it. */
export const COMMAND_MS = 120_000;

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FLOW_BIN = join(ROOT, 'bin', 'flow.js');
/** The single executable under test, or undefined when the tests run the npm build. */
export const FLOW_BINARY = process.env.FLOW_TEST_BINARY ? resolve(ROOT, process.env.FLOW_TEST_BINARY) : undefined;

/** The program and arguments that run `flow ARGS` under test. */
export function flowCommand(args: string[]): [string, string[]] {
  return FLOW_BINARY === undefined ? [process.execPath, [FLOW_BIN, ...args]] : [FLOW_BINARY, args];
}

/** `flow` under test as words for a shell command line. */
export const FLOW_SHELL = (FLOW_BINARY === undefined ? [process.execPath, FLOW_BIN] : [FLOW_BINARY]).map((word) => `"${word}"`).join(' ');

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
      const child = spawn(...flowCommand(args), { cwd: dir, env: { ...env, ...options.env } });
      started.push(child);
      return new Running(child);
    },
  };
  self.write(files);
  return self;
}

export function runFlow(args: string[], options: { cwd: string; env: Record<string, string>; input?: string | undefined; timeoutMs?: number | undefined }): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(...flowCommand(args), { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const limit = options.timeoutMs ?? COMMAND_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${seconds(limit)} waiting for \`flow ${args.join(' ')}\` to finish\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, limit);
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
  async waitFor(what: string, test: (out: { stdout: string; stderr: string }) => boolean, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        await this.exited;
        if (test(this)) return;
        throw new Error(`flow exited (${this.child.exitCode ?? this.child.signalCode ?? ''}) while waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
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

/**
 * Polls `condition` every 50 ms until it holds, or fails after `timeoutMs` naming `what`. A condition that throws
 * (a file not written yet) counts as not holding; the last error is part of the failure.
 */
export async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await condition()) return;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}${last === undefined ? '' : ` (last: ${(last as Error).message})`}`);
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
}

/** Resolves as `promise` does, or fails after `timeoutMs` naming `what`. */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits until the wall clock reaches `epochMs`: for tests whose subject is time itself going by (instants missed
 * while a daemon is down). What happened meanwhile is then read from the records, never assumed from the wait.
 */
export async function clockPasses(epochMs: number): Promise<void> {
  while (Date.now() < epochMs) await new Promise((resolvePromise) => setTimeout(resolvePromise, Math.min(1_000, epochMs - Date.now())));
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
