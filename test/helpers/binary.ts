/** The single executables under test (built by `npm run build:binary`), and running one as an installed command. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_MS, ROOT, type Result } from './flow.js';

export const BINARY_X64 = join(ROOT, 'dist', 'flow-linux-x64');
export const BINARY_ARM64 = join(ROOT, 'dist', 'flow-linux-arm64');
export const QEMU = ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu'] as const;

/** Fails the test file at once, naming the build step, when an executable was not built. */
export function requireBinary(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build:binary\` first`);
  return file;
}

/** True when qemu-user-static and the arm64 C libraries are installed (Debian: qemu-user-static, libc6-arm64-cross). */
export function qemuAvailable(): boolean {
  return spawnSync('sh', ['-c', `command -v ${QEMU[0]}`]).status === 0 && existsSync(`${QEMU[2]}/lib/ld-linux-aarch64.so.1`);
}

/**
 * A directory for PATH holding `flow` (the executable) and the few programs the tests' tasks use, and no `node`:
 * what a server without Node.js has.
 */
export function toolsWithoutNode(dir: string, binary: string): string {
  mkdirSync(dir, { recursive: true });
  symlinkSync(binary, join(dir, 'flow'));
  for (const tool of ['sh', 'cat', 'grep', 'sleep', 'date', 'true', 'false', 'env', 'kill']) {
    const found = ['/usr/bin', '/bin'].map((bin) => join(bin, tool)).find((path) => existsSync(path));
    if (found !== undefined) symlinkSync(found, join(dir, tool));
  }
  return dir;
}

export function run(command: string, args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const limit = options.timeoutMs ?? COMMAND_MS;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${limit / 1000} s waiting for \`${command} ${args.join(' ')}\` to finish\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, limit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end();
  });
}
