/** What the single executable does with what the machine hands it: another architecture's file, NODE_OPTIONS. */
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { BINARY_ARM64, BINARY_X64, requireBinary, run } from '../helpers/binary.js';

describe('the single executable, given bad input', () => {
  // With qemu-user-static registered with binfmt_misc the kernel would run it emulated instead.
  test.runIf(process.arch === 'x64' && !binfmtRunsArm64())('the other architecture\'s file: one line from the shell, exit 126', async () => {
    const f = fixture();
    const result = await run('sh', ['-c', `"${requireBinary(BINARY_ARM64)}" --version`], { cwd: f.dir, env: f.env });
    expect(result.code).toBe(126);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/Exec format error|cannot execute binary file/);
  });

  test('NODE_OPTIONS cannot break it (a --require of a missing file is ignored), and tasks still get it', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: echo "options=$NODE_OPTIONS"\n' });
    const env = { ...f.env, NODE_OPTIONS: '--require /nonexistent.js' };
    const version = await run(requireBinary(BINARY_X64), ['--version'], { cwd: f.dir, env });
    expect(version.stderr).toBe('');
    expect(version.code).toBe(0);
    const result = await run(BINARY_X64, ['run', 'p.flow.yaml', '--verbose'], { cwd: f.dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^a\s+\| options=--require \/nonexistent\.js$/m);
  });
});

function binfmtRunsArm64(): boolean {
  return existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
}
