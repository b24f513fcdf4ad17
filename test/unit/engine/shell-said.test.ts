import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { shellComplaint } from '../../../src/engine/shell-said.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-shell-said-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a real shell prints and returns for a command line. */
function shell(sh: string, command: string): { text: string; code: number } {
  // stdin is not a socket: bash reads ~/.bashrc when it thinks sshd started it.
  const result = spawnSync(sh, ['-c', command], { cwd: dir, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { text: `${result.stdout}${result.stderr}`, code: result.status ?? -1 };
}

const shells = ['/bin/sh', '/bin/dash', '/bin/bash'].filter((sh) => {
  try {
    execFileSync(sh, ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
});

describe('telling a shell that cannot find a command from a task that exits 127 itself', () => {
  writeFileSync(join(dir, 'not-executable'), 'echo hi\n');
  chmodSync(join(dir, 'not-executable'), 0o644);
  mkdirSync(join(dir, 'a-directory'), { recursive: true });

  for (const sh of shells) {
    test(`${sh}: a missing command, a missing path, a file that is not executable`, () => {
      const missing = shell(sh, 'echo working; no-such-command-here --now');
      expect(missing.code).toBe(127);
      expect(shellComplaint(missing.text, missing.code)).toBe('not-found');
      const path = shell(sh, './no-such-file');
      expect(path.code).toBe(127);
      expect(shellComplaint(path.text, path.code)).toBe('not-found');
      const denied = shell(sh, './not-executable');
      expect(denied.code).toBe(126);
      expect(shellComplaint(denied.text, denied.code)).toBe('not-executable');
    });

    test(`${sh}: a task's own exit 127 or 126, even after printing`, () => {
      for (const code of [127, 126]) {
        const own = shell(sh, `echo "user not found in the directory"; exit ${code}`);
        expect(own.code).toBe(code);
        expect(shellComplaint(own.text, own.code)).toBeUndefined();
      }
    });
  }

  test('a complaint far above the end is not why the task ended', () => {
    const text = 'sh: 1: foo: not found\n' + Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    expect(shellComplaint(text, 127)).toBeUndefined();
  });

  test('zsh and busybox words', () => {
    expect(shellComplaint('zsh:1: command not found: foo\n', 127)).toBe('not-found');
    expect(shellComplaint('sh: foo: not found\n', 127)).toBe('not-found');
    expect(shellComplaint('sh: foo: not found\n', 1)).toBeUndefined();
  });
});
