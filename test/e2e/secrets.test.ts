/**
 * Secret values never reach a file flow writes: task logs (printed whole or split across two writes), hook output
 * and the log tail a hook reads, run records and `flow show`; and never a command line that ps shows.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { eventually, fixture, type Fixture } from '../helpers/flow.js';

const PLAIN = 'abcdef';
const TOKEN = 'tok-4711-xyz';
const FROM_CONFIG = 'cfg-secret-99';

const PIPELINE = `
secrets: [PLAIN]
env:
  PLAIN: ${PLAIN}
  API_TOKEN: ${TOKEN}
  VISIBLE: not-secret
on_failure: 'echo "hook out $PLAIN $API_TOKEN"; echo "hook err $PLAIN" >&2; cat; exit 3'
tasks:
  whole:
    run: echo "whole $PLAIN $API_TOKEN $VISIBLE"
  split:
    run: printf 'abc'; sleep 0.2; printf 'def\\n'; printf 'ab'; printf 'x\\n'
  config:
    run: echo "config $CONFIG_VALUE"
  fail:
    run: echo "failing with $PLAIN"; echo "$API_TOKEN" >&2; exit 1
    depends_on: [whole, split, config]
`;

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found;
}

function setup(): Fixture {
  const f = fixture({ 's.flow.yaml': PIPELINE, 'config.yaml': 'secrets: [CONFIG_VALUE]\n' });
  Object.assign(f.env, { FLOW_CONFIG: f.path('config.yaml'), CONFIG_VALUE: FROM_CONFIG });
  return f;
}

describe('secrets', () => {
  test('are masked in task logs, hook output, the hook stdin tail, records and flow show', async () => {
    const f = setup();
    const run = await f.flow(['run', 's.flow.yaml']);
    expect(run.code).toBe(1);
    for (const value of [PLAIN, TOKEN, FROM_CONFIG]) expect(run.stdout + run.stderr).not.toContain(value);

    const files = filesUnder(f.home);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const value of [PLAIN, TOKEN, FROM_CONFIG]) expect(`${file}: ${text.includes(value)}`).toBe(`${file}: false`);
    }
    const log = (name: string): string => readFileSync(files.find((file) => file.endsWith(name)) ?? '', 'utf8');
    expect(log('whole.1.log')).toBe('whole *** *** not-secret\n');
    expect(log('split.1.log')).toBe('***\nabx\n');
    expect(log('config.1.log')).toBe('config ***\n');
    // the hook's stdout holds what it printed, then the log tail it read on stdin
    expect(log('on_failure.out')).toBe('hook out *** ***\nfailing with ***\n***\n');
    expect(log('on_failure.err')).toBe('hook err ***\n');

    const history = await f.flow(['history', '--json']);
    const [record] = JSON.parse(history.stdout) as { id: string; hooks: { error: string | null }[] }[];
    expect(record?.hooks[0]?.error).toBe('hook err ***');
    const show = await f.flow(['show', record?.id ?? '']);
    for (const value of [PLAIN, TOKEN, FROM_CONFIG]) expect(show.stdout + show.stderr).not.toContain(value);
    const logs = await f.flow(['logs', 'fail', '--run', record?.id ?? '']);
    expect(logs.stdout).toContain('failing with ***');
  });

  test('never appear on a command line that ps shows', async () => {
    const f = fixture({
      's.flow.yaml': `
env:
  DB_PASSWORD: ${TOKEN}
tasks:
  wait:
    run: touch started; sleep 60
`,
    });
    const running = f.start(['run', 's.flow.yaml']);
    await eventually('the task to start', () => {
      try {
        return statSync(f.path('started')).isFile();
      } catch {
        return false;
      }
    });
    const lines: string[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        lines.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '));
      } catch {
        // gone meanwhile
      }
    }
    running.signal('SIGINT');
    await running.exited;
    expect(lines.some((line) => line.includes('sleep 60'))).toBe(true);
    expect(lines.filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  test('without secrets, output goes straight to the log file; with secrets, through a masking pipe', async () => {
    const f = fixture({
      'plain.flow.yaml': 'inherit_env: false\ntasks:\n  a:\n    run: readlink /proc/self/fd/1\n',
      'masked.flow.yaml': `inherit_env: false\nenv:\n  X_TOKEN: ${TOKEN}\ntasks:\n  a:\n    run: readlink /proc/self/fd/1\n`,
    });
    expect((await f.flow(['run', 'plain.flow.yaml'])).code).toBe(0);
    expect((await f.flow(['run', 'masked.flow.yaml'])).code).toBe(0);
    const logs = filesUnder(f.home).filter((file) => file.endsWith('a.1.log'));
    const plain = logs.find((file) => file.includes('/plain/')) ?? '';
    const masked = logs.find((file) => file.includes('/masked/')) ?? '';
    expect(readFileSync(plain, 'utf8')).toBe(`${plain}\n`);
    expect(readFileSync(masked, 'utf8')).toMatch(/^(pipe|socket):/);
  });

  test('a background process holding the output open does not hold up the run', async () => {
    // The background sleep outlasts the command's deadline: the run ending at all shows it was not held up.
    const f = fixture({ 'p.flow.yaml': `env:\n  X_TOKEN: ${TOKEN}\ntasks:\n  a:\n    run: (sleep 300 &) ; echo "done $X_TOKEN"\n` });
    const run = await f.flow(['run', 'p.flow.yaml']);
    expect(run.code).toBe(0);
    const log = filesUnder(f.home).find((file) => file.endsWith('a.1.log')) ?? '';
    expect(readFileSync(log, 'utf8')).toBe('done ***\n');
  });
});
