import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { fixture, type Result } from '../helpers/flow.js';

/** A validation problem, never an internal error: exit 2, `file:line:col: path: message`, no stack trace. */
function expectProblem(result: Result, line: RegExp): void {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(2);
  expect(result.stdout).toMatch(line);
  expect(result.stdout).not.toMatch(/^\s+at |internal error/m);
}

const TASKS = 'tasks:\n  a:\n    run: echo hi\n';
const MB = 1_000_000;

describe('hostile pipeline files', () => {
  test('YAML alias trouble is a problem at its line: no anchor, an alias bomb', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const f = fixture({
      'nope.flow.yaml': 'tasks:\n  a:\n    run: *nope\n',
      'later.flow.yaml': 'tasks:\n  a:\n    run: *cmd\n  b:\n    run: &cmd echo\n',
      'bomb.flow.yaml': `${lines.join('\n')}\n${TASKS}`,
    });
    expectProblem(await f.flow(['validate', 'nope.flow.yaml']), /^nope\.flow\.yaml:3:10: YAML: alias "\*nope" has no anchor "&nope" before it$/m);
    expectProblem(await f.flow(['validate', 'later.flow.yaml']), /^later\.flow\.yaml:3:10: YAML: alias "\*cmd" has no anchor/m);
    const bomb = await f.flow(['validate', 'bomb.flow.yaml']);
    expectProblem(bomb, /^bomb\.flow\.yaml:2:\d+: YAML: aliases expand to too much data/m);
  });

  test('huge strings are refused by their length, before any costly check', async () => {
    const f = fixture({
      'zone.flow.yaml': `timezone: ${'A'.repeat(MB)}\n${TASKS}`,
      'sched.flow.yaml': `schedule: "${'1,'.repeat(MB / 2)}1 * * * *"\n${TASKS}`,
      'dur.flow.yaml': `${TASKS}    timeout: ${'1'.repeat(MB)}s\n`,
      'durs.flow.yaml': `${TASKS}    retry_delay: ${'1s'.repeat(MB / 2)}\n`,
      'key.flow.yaml': `tasks: {${'k'.repeat(MB)}: {run: echo}}\n`,
    });
    const result = await f.flow(['validate', 'zone.flow.yaml', 'sched.flow.yaml', 'dur.flow.yaml', 'durs.flow.yaml', 'key.flow.yaml']);
    expectProblem(result, /^zone\.flow\.yaml:1:11: timezone: is too long: at most 100 characters, got 1,000,000$/m);
    expect(result.stdout).toMatch(/^sched\.flow\.yaml:1:11: schedule: is too long: at most 1,000 characters/m);
    expect(result.stdout).toMatch(/^dur\.flow\.yaml:4:14: tasks\.a\.timeout: is too long: at most 100 characters/m);
    expect(result.stdout).toMatch(/^durs\.flow\.yaml:4:18: tasks\.a\.retry_delay: is too long/m);
    expect(result.stdout).toMatch(/^key\.flow\.yaml:1:9: tasks\.k+\.\.\.: task id "k+\.\.\." is 1000000 bytes long; at most 200/m);
    expect(result.stdout.length).toBeLessThan(4000);
  });

  test('names and ids that cannot be file names, durations past the limit, files too large', async () => {
    const longName = 'n'.repeat(230);
    const f = fixture({
      'ids.flow.yaml': `name: ${'p'.repeat(201)}\ntasks:\n  ${'t'.repeat(201)}:\n    run: echo\n  b:\n    run: echo\n    timeout: 366d\n`,
      [`${longName}.flow.yaml`]: TASKS,
      'big.flow.yaml': `description: ${'d'.repeat(1_100_000)}\n${TASKS}`,
    });
    const ids = await f.flow(['validate', 'ids.flow.yaml']);
    expectProblem(ids, /^ids\.flow\.yaml:1:7: name: is too long: at most 200 characters, got 201$/m);
    expect(ids.stdout).toMatch(/^ids\.flow\.yaml:3:3: tasks\.t+\.\.\.: task id "t+\.\.\." is 201 bytes long; at most 200, as it names files and directories$/m);
    expect(ids.stdout).toMatch(/^ids\.flow\.yaml:7:14: tasks\.b\.timeout: must be at most 365d$/m);
    expectProblem(await f.flow(['validate', `${longName}.flow.yaml`]), /:1:1: the file name gives the pipeline the name "n+", which is 230 bytes long; at most 200, as it names files and directories: rename the file or set name:$/m);
    expectProblem(await f.flow(['validate', 'big.flow.yaml']), /^big\.flow\.yaml:1:1: the file is 1,100,04\d bytes; a pipeline file holds at most 1,048,576$/m);
  });

  test('deep nesting, long dependency chains and a FIFO are reported or read, never crash', async () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `  t${i}: {depends_on: [t${i + 1}]}`).join('\n');
    const f = fixture({
      'deep.flow.yaml': `tasks: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
      'chain.flow.yaml': `tasks:\n${chain}\n  t20000: {}\n`,
    });
    execFileSync('mkfifo', [f.path('fifo.flow.yaml')]);
    expectProblem(await f.flow(['validate', 'deep.flow.yaml']), /^deep\.flow\.yaml:1:\d+: YAML: lists or mappings are nested too deeply to read$/m);
    const chained = await f.flow(['validate', 'chain.flow.yaml']);
    expect(chained.stderr).toBe('');
    expect(chained.code).toBe(0);
    const planned = await f.flow(['run', 'chain.flow.yaml', '--dry-run']);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/stage 20001: t0/);
    expectProblem(await f.flow(['validate', 'fifo.flow.yaml']), /^fifo\.flow\.yaml:1:1: not a regular file$/m);
  });
});
