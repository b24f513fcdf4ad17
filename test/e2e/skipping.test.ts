import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { states, taskOf as task, type RunJson } from '../helpers/run-json.js';

async function run_(files: Record<string, string>, file = 'p.flow.yaml'): Promise<{ run: RunJson; code: number | null; stderr: string }> {
  const f = fixture(files);
  const result = await f.flow(['run', file, '--json']);
  return { run: JSON.parse(result.stdout) as RunJson, code: result.code, stderr: result.stderr };
}

describe('skip_exit_code', () => {
  test('exit code 99 skips the task (BashOperator default), without retries, and says so in the log', async () => {
    const { run, code } = await run_({
      'p.flow.yaml': 'tasks:\n  gate:\n    run: echo checking; exit 99\n    retries: 2\n  next:\n    run: "true"\n    depends_on: [gate]\n  always_next:\n    run: "true"\n    depends_on: [gate]\n    trigger_rule: none_failed\n',
    });
    expect(code).toBe(0);
    expect(states(run)).toEqual({ gate: 'skipped', next: 'skipped', always_next: 'success' });
    const gate = task(run, 'gate');
    expect(gate.reason).toBe('exit code 99 (skip_exit_code)');
    expect(gate.attempts).toHaveLength(1);
    expect(gate.attempts[0]).toMatchObject({ exit_code: 99, error: null });
    expect(readFileSync(gate.attempts[0]?.log ?? '', 'utf8')).toBe('checking\nflow: task skipped: exit code 99 (skip_exit_code)\n');
  });

  test('another code can be set, and false turns skipping off', async () => {
    const { run, code } = await run_({
      'p.flow.yaml': 'defaults:\n  skip_exit_code: 3\ntasks:\n  three:\n    run: exit 3\n  ninety_nine:\n    run: exit 99\n  off:\n    run: exit 3\n    skip_exit_code: false\n',
    });
    expect(code).toBe(1);
    expect(states(run)).toEqual({ three: 'skipped', ninety_nine: 'failed', off: 'failed' });
  });
});

describe('when:', () => {
  test('exit 0 runs the task; any other code skips it, the condition\'s output kept in the log', async () => {
    const { run, code } = await run_({
      'p.flow.yaml': 'tasks:\n  yes:\n    when: test -d .\n    run: echo ran\n  no:\n    when: echo "no file"; test -f missing\n    run: echo never > never.txt\n  after_no:\n    run: "true"\n    depends_on: [no]\n',
    });
    expect(code).toBe(0);
    expect(states(run)).toEqual({ yes: 'success', no: 'skipped', after_no: 'skipped' });
    expect(task(run, 'no').reason).toBe('when: condition said no (exit code 1)');
    const log = readFileSync(task(run, 'no').attempts[0]?.log ?? '', 'utf8');
    expect(log).toContain('no file\n');
    expect(log).toContain('flow: when: the condition said no (exit code 1): task skipped');
    expect(readFileSync(task(run, 'yes').attempts[0]?.log ?? '', 'utf8')).toContain('ran\n');
  });

  test('a condition that hangs obeys the task\'s timeout: the attempt times out, the run goes on', async () => {
    const { run, code } = await run_({
      'p.flow.yaml': 'tasks:\n  hangs:\n    when: sleep 60\n    run: echo never\n    timeout: 1s\n    kill_grace: 1s\n  other:\n    run: echo fine\n  cleanup:\n    run: "true"\n    depends_on: [hangs]\n    trigger_rule: all_done\n',
    });
    expect(code).toBe(1);
    expect(states(run)).toEqual({ hangs: 'failed', other: 'success', cleanup: 'success' });
    expect(task(run, 'hangs').attempts[0]).toMatchObject({ timed_out: true, error: 'timed out after 1s' });
    expect(readFileSync(task(run, 'hangs').attempts[0]?.log ?? '', 'utf8')).toContain('flow: when: the condition timed out');
  });
});

describe('short_circuit', () => {
  const pipeline = (extra: string) => `
tasks:
  check:
    run: echo "nothing new"; exit 1
    short_circuit: true${extra}
  load:
    run: echo load
    depends_on: [check]
  report:
    run: echo report
    depends_on: [load]
    trigger_rule: all_done
  unrelated:
    run: echo unrelated
`;

  test('a failing command skips every task downstream, whatever its trigger rule (Airflow\'s default)', async () => {
    const { run, code } = await run_({ 'p.flow.yaml': pipeline('') });
    expect(code).toBe(0);
    expect(run.status).toBe('success');
    expect(states(run)).toEqual({ check: 'success', load: 'skipped', report: 'skipped', unrelated: 'success' });
    expect(task(run, 'check').reason).toBe('short-circuit: exit code 1, downstream tasks skipped');
    expect(task(run, 'report').reason).toBe('short-circuited by "check"');
  });

  test('with ignore_downstream_trigger_rules: false only direct downstream tasks are skipped; the rest follow their rules', async () => {
    const { run } = await run_({ 'p.flow.yaml': pipeline('\n    ignore_downstream_trigger_rules: false') });
    expect(states(run)).toEqual({ check: 'success', load: 'skipped', report: 'success', unrelated: 'success' });
  });

  test('a command that succeeds lets everything run', async () => {
    const { run } = await run_({ 'p.flow.yaml': pipeline('').replace('exit 1', 'exit 0') });
    expect(states(run)).toEqual({ check: 'success', load: 'success', report: 'success', unrelated: 'success' });
  });
});

describe('TypeScript tasks', () => {
  test('context.skip() skips; a short_circuit function that returns false skips downstream', async () => {
    const { run, code } = await run_(
      {
        'p.flow.ts': `export default {
  tasks: {
    gate: { run: (ctx: { skip: (why: string) => never }) => ctx.skip('holiday') },
    check: { run: () => false, short_circuit: true },
    after_check: { run: 'true', depends_on: ['check'] },
  },
};
`,
      },
      'p.flow.ts',
    );
    expect(code).toBe(0);
    expect(states(run)).toEqual({ gate: 'skipped', check: 'success', after_check: 'skipped' });
    expect(task(run, 'gate').reason).toBe('holiday');
  });
});
