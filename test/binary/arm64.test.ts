/**
 * The arm64 executable, run under qemu-user-static where it is installed (CI installs it): the same runtime checks
 * as on x64, slower. Without qemu this file says so and checks only that the file was built for arm64.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { COMMAND_MS, fixture } from '../helpers/flow.js';
import { BINARY_ARM64, QEMU, qemuAvailable, requireBinary, run } from '../helpers/binary.js';

describe('the arm64 executable', () => {
  test('is an arm64 ELF executable', () => {
    const head = readFileSync(requireBinary(BINARY_ARM64)).subarray(0, 20);
    expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(head.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
  });

  test.runIf(qemuAvailable())('under qemu: --version, a YAML pipeline and a TypeScript pipeline', async () => {
    const f = fixture({
      'y.flow.yaml': 'tasks:\n  a:\n    run: echo arm yaml\n',
      'lib.ts': "export const where: string = process.arch;\n",
      't.flow.ts': "import { definePipeline } from 'flow';\nimport { where } from './lib.ts';\nexport default definePipeline({ tasks: { a: { run: `echo ts on ${where}` } } });\n",
    });
    // Emulated, each command is several times slower than native: three times the usual deadline.
    const flow = (args: string[]) => run(QEMU[0], [...QEMU.slice(1), requireBinary(BINARY_ARM64), ...args], { cwd: f.dir, env: f.env, timeoutMs: 3 * COMMAND_MS });
    const version = await flow(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+ \(node v24\.\d+\.\d+\)\n$/);
    const yaml = await flow(['run', 'y.flow.yaml', '--verbose']);
    expect(yaml.stderr).toBe('');
    expect(yaml.stdout).toMatch(/^a\s+\| arm yaml$/m);
    const typed = await flow(['run', 't.flow.ts', '--verbose']);
    expect(typed.stderr).toBe('');
    expect(typed.stdout).toMatch(/^a\s+\| ts on arm64$/m);
  }, 12 * COMMAND_MS);
});
