/**
 * The pieces of a crontab line, case by case against cronie's code: assignments (load_env, src/env.c), the `%`
 * of a command (child_process, src/do_command.c), and the limits of load_user (src/user.c).
 */
import { describe, expect, it } from 'vitest';
import { parseAssignment } from '../../../src/crontab/env-line.js';
import { splitPercent } from '../../../src/crontab/percent.js';
import { parseCrontab } from '../../../src/crontab/index.js';

describe('assignments (load_env)', () => {
  it.each([
    ['MAILTO=ops@example.com', 'MAILTO', 'ops@example.com'],
    ['MAILTO = ops@example.com', 'MAILTO', 'ops@example.com'],
    ['MAILTO\t=\tops@example.com \t', 'MAILTO', 'ops@example.com'],
    ['MAILTO=ops@example.com # on-call', 'MAILTO', 'ops@example.com # on-call'],
    ['MAILTO=', 'MAILTO', ''],
    ['MAILTO=   ', 'MAILTO', ''],
    ['MAILTO=""', 'MAILTO', ''],
    ["MAILTO=''", 'MAILTO', ''],
    ['GREETING="  two  spaces  "', 'GREETING', '  two  spaces  '],
    ["GREETING='it is \"quoted\"'", 'GREETING', 'it is "quoted"'],
    ['GREETING="x"   ', 'GREETING', 'x'],
    ['GREETING="x"\r', 'GREETING', 'x'],
    ['A=x"y"', 'A', 'x"y"'],
    ['A=it\'s', 'A', "it's"],
    ['"NAME WITH SPACE"=1', 'NAME WITH SPACE', '1'],
    ["'N'=v", 'N', 'v'],
    ['A==b', 'A', '=b'],
    ['PATH=/usr/bin:/bin', 'PATH', '/usr/bin:/bin'],
    ['=nameless', '', 'nameless'],
  ])('%j is %s=%j', (line, name, value) => {
    expect(parseAssignment(line)).toEqual({ name, value });
  });

  it.each([
    ['0 * * * * cmd'],
    ['*/5 * * * * FOO=bar cmd'],
    ['@daily A=b'],
    ['A="x" # comment'],
    ['A="unclosed'],
    ['"A=B"=c'],
    ['NAME'],
    ['NAME value'],
  ])('%j is not an assignment', (line) => {
    expect(parseAssignment(line)).toBeUndefined();
  });
});

describe('% in a command (child_process)', () => {
  it.each([
    ['cat', 'cat', null],
    ['date +\\%F', 'date +%F', null],
    ['cat%', 'cat', ''],
    ['cat%%', 'cat', '\n'],
    ['cat%a', 'cat', 'a\n'],
    ['cat%a%b', 'cat', 'a\nb\n'],
    ['cat%a%', 'cat', 'a\n'],
    ['cat%a\\%b', 'cat', 'a%b\n'],
    ['cat%a\\b', 'cat', 'a\\b\n'],
    // A backslash before a backslash escapes nothing in the command…
    ['echo \\\\%x', 'echo \\\\', 'x\n'],
    // …while in the input the second one is held back until the next character, so \\% gives \%.
    ['cat%a\\\\%b', 'cat', 'a\\%b\n'],
    ['cat%a\\\\b', 'cat', 'a\\\\b\n'],
    ['cat%a\\', 'cat', 'a\\\n'],
    ['cat%a%\\', 'cat', 'a\n\\'],
    ['echo \\x \\%%in', 'echo \\x %', 'in\n'],
    ['printf "%s\\n" x', 'printf "', 's\\n" x\n'],
  ])('%j runs %j with input %j', (raw, command, stdin) => {
    expect(splitPercent(raw)).toEqual({ command, stdin });
  });
});

describe('load_user', () => {
  const parse = (text: string, kind: 'user' | 'system' = 'user') => parseCrontab({ name: 'c', kind, text });

  it('takes leading blanks on any line, and # only as the first non-blank character', () => {
    const parsed = parse('  \t# note\n \tA = 1\n\t 0 1 * * * echo # a shell comment, part of the command\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.jobs.map((job) => [job.line, job.command, job.env])).toEqual([[3, 'echo # a shell comment, part of the command', { A: '1' }]]);
  });

  it('applies an assignment to the lines below it only, and a later one in place', () => {
    const parsed = parse('0 1 * * * first\nB=1\nA=1\n0 2 * * * second\nB=2\n0 3 * * * third\n');
    expect(parsed.jobs.map((job) => job.env)).toEqual([{}, { B: '1', A: '1' }, { B: '2', A: '1' }]);
    expect(Object.keys(parsed.jobs[2]?.env ?? {})).toEqual(['B', 'A']);
  });

  it('ignores a last line without a newline, as cron does, and says so', () => {
    expect(parse('0 1 * * * a\n0 2 * * * b').errors).toEqual([{ file: 'c', line: 2, message: 'the file does not end with a newline: cron ignores its last line (missing newline before EOF)' }]);
    expect(parse('0 1 * * * a\n# a comment').errors).toEqual([]);
    expect(parse('0 1 * * * a\n   ').errors).toEqual([]);
  });

  it('refuses a user crontab as a whole past cronie\'s limits, as cron refuses to load it', () => {
    // 327 lines of 100 characters, and 1 for the first character of the job: 32701 of cronie's 32768.
    const garbage = `${'#'.repeat(99)}\n`.repeat(327);
    expect(parse(`${garbage}0 1 * * * a\n`).jobs).toHaveLength(1);
    const more = parse(`${garbage}${'#'.repeat(99)}\n0 1 * * * a\n`);
    expect(more.jobs).toEqual([]);
    expect(more.errors[0]?.message).toBe('more than 32768 characters of comments and blank lines in a row; cron refuses to load this crontab');
    expect(parse(`${garbage}${'#'.repeat(99)}\n0 1 * * * root a\n`, 'system').jobs).toHaveLength(1);
    expect(parse('A=1\n'.repeat(1001)).errors[0]?.message).toBe('more than 1000 environment lines; cron refuses to load this crontab');
    expect(parse('0 1 * * * a\n'.repeat(10000)).jobs).toHaveLength(10000);
    expect(parse('0 1 * * * a\n'.repeat(10001)).errors).toEqual([{ file: 'c', line: 10001, message: 'more than 10000 job lines; cron refuses to load this crontab' }]);
  });

  it('warns about RANDOM_DELAY, which flow does not do', () => {
    const parsed = parse('RANDOM_DELAY=30\n0 1 * * * a\nRANDOM_DELAY=0\n0 2 * * * b\n');
    expect(parsed.warnings).toEqual([{ file: 'c', line: 2, message: 'RANDOM_DELAY=30: cron started this job up to 30 minutes late, a random amount; flow starts it on time' }]);
  });

  it('reads the -n option and a leading - of root\'s and system crontabs', () => {
    const system = parse('-0 1 * * * root -n /bin/job\n', 'system');
    expect(system.jobs.map((job) => [job.user, job.command, job.noLog, job.mailOnFailureOnly])).toEqual([['root', '/bin/job', true, true]]);
    const root = parseCrontab({ name: 'c', kind: 'user', text: '-@hourly /bin/job\n' }, { privileged: true });
    expect(root.jobs.map((job) => [job.schedule, job.noLog])).toEqual([['@hourly', true]]);
    expect(parse('@daily\t-n\tx\n').jobs.map((job) => job.command)).toEqual(['x']);
    expect(parse('@daily -nx\n').errors[0]?.message).toBe('the command starts with "-nx": cron reads a leading "-" as an option and knows only -n (cron: bad option)');
    expect(parse('@daily -n\n').errors[0]?.message).toBe('-n needs a command after it (cron: bad option)');
    expect(parse('@daily -n  \n').errors[0]?.message).toBe('no command after -n (cron: bad command)');
  });
});
