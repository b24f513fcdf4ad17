/**
 * The shell-or-not rule, case by case: each command runs once through `/bin/sh -c` and once as the rule decides,
 * and both give the same exit code and the same output. The rule says which of them go without the shell.
 */
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { plainCommand } from '../../../src/engine/plain-command.js';
import { spawnInGroup } from '../../../src/engine/process.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-plain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const work = join(dir, 'work');
const bin = join(dir, 'bin');
const early = join(dir, 'early');
for (const made of [work, bin, early]) mkdirSync(made);
const files: Record<string, [string, number]> = {
  'work/script.sh': ['#!/bin/sh\necho "script $0 [$*] in $PWD"\n', 0o755],
  'work/no-shebang': ['echo "no shebang: $0 $1"\nexit 4\n', 0o755],
  'work/not-executable': ['#!/bin/sh\necho never\n', 0o644],
  'work/data.txt': ['data\n', 0o644],
  'bin/tool': ['#!/bin/sh\necho "tool from PATH: $0 $1"\n', 0o755],
  'bin/echo': ['#!/bin/sh\necho "not the echo builtin"\n', 0o755],
  'early/tool2': ['#!/bin/sh\necho early\n', 0o644],
  'bin/tool2': ['#!/bin/sh\necho late\n', 0o755],
};
for (const [name, [text, mode]] of Object.entries(files)) {
  writeFileSync(join(dir, name), text);
  chmodSync(join(dir, name), mode);
}
symlinkSync(work, join(dir, 'link'));
const systemPath = '/usr/local/bin:/usr/bin:/bin';
const baseEnv = { PATH: systemPath, HOME: dir, LANG: 'C', PWD: '/' };

interface Case {
  what: string;
  command: string;
  direct: boolean;
  env?: Record<string, string>;
  cwd?: string;
}

const cases: Case[] = [
  { what: 'a program with arguments', command: 'ls -d data.txt .', direct: true },
  { what: 'leading and trailing blanks, tabs between words', command: '  ls\t-d   data.txt ', direct: true },
  { what: 'a failing program, its own stderr', command: 'ls no-such-file', direct: true },
  { what: 'an absolute path', command: '/bin/ls data.txt', direct: true },
  { what: 'a relative ./script: $0 as written, PWD as sh sets it', command: './script.sh a b', direct: true },
  { what: 'PWD inherited through a symbolic link stays', command: './script.sh', direct: true, cwd: join(dir, 'link'), env: { PWD: join(dir, 'link') } },
  { what: 'a script without #! (ENOEXEC: run by sh)', command: './no-shebang x', direct: true },
  { what: 'a program on the PATH the task env sets', command: 'tool arg', direct: true, env: { PATH: `${bin}:${systemPath}` } },
  { what: 'true (the same program as the builtin)', command: 'true', direct: true },
  { what: 'false', command: 'false', direct: true },
  { what: 'echo with plain words', command: 'echo plain, words: 100% a=b', direct: true },
  { what: 'a missing program: the shell says "not found", 127', command: 'no-such-program arg', direct: false },
  { what: 'a missing ./program', command: './no-such-program', direct: false },
  { what: 'a file that is not executable: 126', command: './not-executable', direct: false },
  { what: 'a directory', command: '/tmp', direct: false },
  { what: 'a non-executable file first on the PATH', command: 'tool2', direct: false, env: { PATH: `${early}:${bin}:${systemPath}` } },
  { what: 'an echo on the PATH before the builtin', command: 'echo hi', direct: false, env: { PATH: `${bin}:${systemPath}` } },
  { what: 'echo with an option', command: 'echo -n x', direct: false },
  { what: 'true with arguments', command: 'true --version', direct: false },
  { what: 'a builtin: cd', command: 'cd /no/such/dir', direct: false },
  { what: 'a builtin: exit 3', command: 'exit 3', direct: false },
  { what: 'a builtin: printf', command: 'printf %s-%s a b', direct: false },
  { what: 'a builtin: pwd', command: 'pwd', direct: false, cwd: join(dir, 'link'), env: { PWD: join(dir, 'link') } },
  { what: 'a reserved word', command: 'if true', direct: false },
  { what: 'an assignment', command: 'A=1 printenv A', direct: false },
  { what: 'single quotes', command: "echo 'two  spaces'", direct: false },
  { what: 'double quotes', command: 'echo "two  spaces"', direct: false },
  { what: 'a backslash', command: 'echo a\\ b', direct: false },
  { what: 'a glob', command: 'echo *.txt', direct: false },
  { what: 'a glob with ?', command: 'ls data.tx?', direct: false },
  { what: 'a redirection', command: 'ls data.txt >&2', direct: false },
  { what: 'a pipe', command: 'echo abc | tr a x', direct: false },
  { what: 'a list', command: 'echo one; echo two', direct: false },
  { what: 'a variable', command: 'echo $HOME', direct: false },
  { what: 'a command substitution', command: 'echo `echo nested`', direct: false },
  { what: 'a tilde', command: 'echo ~', direct: false },
  { what: 'a comment', command: 'echo shown # not shown', direct: false },
  { what: 'a newline', command: 'echo one\necho two', direct: false },
  { what: 'an empty command', command: '   ', direct: false },
  { what: 'no PATH at all', command: 'ls data.txt', direct: false, env: { PATH: '' } },
  { what: 'an empty PATH entry (the current directory)', command: 'script.sh', direct: false, env: { PATH: `:${systemPath}` } },
  { what: 'BASH_ENV set', command: 'ls data.txt', direct: false, env: { BASH_ENV: '/dev/null' } },
];

async function run(command: string, env: Record<string, string>, cwd: string, withoutShell: boolean): Promise<{ code: number | undefined; output: string }> {
  const log = join(dir, `out-${String(Math.random()).slice(2)}.log`);
  const fd = openSync(log, 'a');
  try {
    const outcome = await spawnInGroup({
      file: '/bin/sh',
      args: ['-c', command],
      cwd,
      env,
      outputFd: fd,
      killGraceMs: 1000,
      direct: withoutShell ? plainCommand(command, cwd, env) : undefined,
    });
    return { code: outcome.exitCode, output: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

describe('commands without a shell', () => {
  test.each(cases)('$what: $command', async ({ command, direct, env: more, cwd = work }) => {
    const env = { ...baseEnv, ...more };
    if (env.PATH === '') delete (env as Partial<typeof env>).PATH;
    expect(plainCommand(command, cwd, env) !== undefined).toBe(direct);
    const [shell, plain] = [await run(command, env, cwd, false), await run(command, env, cwd, true)];
    expect(plain).toEqual(shell);
  });

  test('a program gone between the look-up and the start runs through the shell, which says so', async () => {
    const log = join(dir, 'gone.log');
    const fd = openSync(log, 'a');
    const env = { PATH: systemPath };
    const outcome = await spawnInGroup({
      file: '/bin/sh',
      args: ['-c', 'gone-program'],
      cwd: work,
      env,
      outputFd: fd,
      killGraceMs: 1000,
      direct: { file: join(dir, 'gone-program'), args: [], argv0: 'gone-program', env },
    });
    closeSync(fd);
    const shell = await run('gone-program', env, work, false);
    expect(shell.code).toBe(127);
    expect({ code: outcome.exitCode, output: readFileSync(log, 'utf8') }).toEqual(shell);
  });
});
