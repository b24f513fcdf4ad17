/**
 * The shell-or-not rule end to end: the same tasks run by `flow run` with the default shell (plain commands then go
 * without it) and with the shell named another way (`/bin//sh`, so every command goes through it) give the same
 * statuses, exit codes, failure reasons and logs.
 */
import { chmodSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

interface Run {
  status: string;
  tasks: { id: string; status: string; attempts: { exit_code: number | null; error: string | null; log: string }[] }[];
}

const tasks: Record<string, string> = {
  plain: 'ls -d data.txt .',
  failing: 'ls no-such-file',
  script: './script.sh one two',
  'no-shebang': './no-shebang',
  'on-task-path': 'tool arg',
  truth: 'true',
  echo: 'echo plain words',
  missing: 'no-such-program',
  'not-executable': './not-executable',
  builtin: 'exit 3',
  assignment: 'A=1 printenv A',
  quoted: "echo 'a  b'",
  glob: 'echo *.txt',
  redirect: 'echo to-stderr >&2',
  pipe: 'echo abc | tr a x',
  variable: 'echo $FLOW_TASK',
  tilde: 'echo ~',
  comment: 'echo shown # hidden',
};

function pipeline(shell: string | undefined, bin: string): string {
  const lines = Object.entries(tasks).map(([id, run]) => `  ${id}:\n    run: ${JSON.stringify(run)}\n${id === 'on-task-path' ? `    env: { PATH: "${bin}:/usr/bin:/bin" }\n` : ''}`);
  return `${shell === undefined ? '' : `defaults:\n  shell: ${shell}\n`}concurrency: 2\ntasks:\n${lines.join('')}  lines:\n    run: |\n      echo one\n      echo two\n`;
}

describe('plain commands run without a shell', () => {
  test('give the same statuses, exit codes and logs as through the shell', async () => {
    const f = fixture({
      'data.txt': 'data\n',
      'script.sh': '#!/bin/sh\necho "script $0 $* in $PWD"\n',
      'no-shebang': 'echo "no shebang $0"\nexit 4\n',
      'not-executable': '#!/bin/sh\necho never\n',
      'bin/tool': '#!/bin/sh\necho "tool $0 $1"\n',
    });
    for (const file of ['script.sh', 'no-shebang', 'bin/tool']) chmodSync(f.path(file), 0o755);
    f.write({ 'direct.flow.yaml': pipeline(undefined, f.path('bin')), 'shell.flow.yaml': pipeline('/bin//sh', f.path('bin')) });
    const direct = await f.flow(['run', 'direct.flow.yaml']);
    const shell = await f.flow(['run', 'shell.flow.yaml']);
    expect(direct.code).toBe(1);
    expect(shell.code).toBe(1);
    const summary = (text: string) => text.split('\n').filter((line) => line.startsWith('Task ') || line.startsWith('  | ')).map((line) => line.replace('/bin//sh', '/bin/sh'));
    expect(summary(direct.stdout + direct.stderr).sort()).toEqual(summary(shell.stdout + shell.stderr).sort());
    const [directRun, shellRun] = await Promise.all(['direct', 'shell'].map(async (name) => (JSON.parse((await f.flow(['history', name, '--json'])).stdout) as Run[])[0]));
    const seen = (run: Run | undefined) =>
      Object.fromEntries(
        (run?.tasks ?? []).map((task) => {
          const attempt = task.attempts[0];
          return [task.id, { status: task.status, exit: attempt?.exit_code, error: attempt?.error, log: readFileSync(attempt?.log ?? '', 'utf8').replace('/bin//sh', '/bin/sh') }];
        }),
      );
    expect(seen(directRun)).toEqual(seen(shellRun));
    expect(seen(directRun)).toMatchObject({
      plain: { status: 'success', log: '.\ndata.txt\n' },
      script: { log: `script ./script.sh one two in ${f.dir}\n` },
      'no-shebang': { exit: 4, log: 'no shebang ./no-shebang\n' },
      'on-task-path': { log: `tool ${f.path('bin', 'tool')} arg\n` },
      missing: { exit: 127 },
      'not-executable': { exit: 126 },
      builtin: { exit: 3 },
    });
  });
});
