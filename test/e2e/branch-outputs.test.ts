import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture, type Fixture } from '../helpers/flow.js';
import { states, taskOf, type RunJson } from '../helpers/run-json.js';

async function runIn(f: Fixture, file = 'p.flow.yaml'): Promise<{ run: RunJson; code: number | null; stderr: string }> {
  const result = await f.flow(['run', file, '--json']);
  return { run: JSON.parse(result.stdout) as RunJson, code: result.code, stderr: result.stderr };
}

const BRANCHY = (choose: string) => `
tasks:
  pick:
    run: ${choose}
    branch: true
  left:
    run: echo left
    depends_on: [pick]
  right:
    run: echo right
    depends_on: [pick]
  after_right:
    run: echo after
    depends_on: [right]
  join:
    run: echo join
    depends_on: [left, right]
    trigger_rule: none_failed_min_one_success
`;

describe('branch: true', () => {
  test('runs the downstream tasks named in $FLOW_BRANCH and skips the others, as Airflow\'s branching does', async () => {
    const f = fixture({ 'p.flow.yaml': BRANCHY('echo left > "$FLOW_BRANCH"') });
    const { run, code, stderr } = await runIn(f);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(states(run)).toEqual({ pick: 'success', left: 'success', right: 'skipped', after_right: 'skipped', join: 'success' });
    expect(taskOf(run, 'pick').branch).toEqual(['left']);
    expect(taskOf(run, 'right').reason).toBe('not chosen by branch "pick"');
  });

  test('naming nothing skips every direct downstream task', async () => {
    const f = fixture({ 'p.flow.yaml': BRANCHY('"true"') });
    const { run } = await runIn(f);
    expect(states(run)).toEqual({ pick: 'success', left: 'skipped', right: 'skipped', after_right: 'skipped', join: 'skipped' });
    expect(run.note).toBeUndefined();
  });

  test('naming a task that is not directly downstream fails the branch task with a clear message, in its result and log', async () => {
    const f = fixture({ 'p.flow.yaml': BRANCHY('printf "left\\nafter_right\\n" > "$FLOW_BRANCH"') });
    const { run, code, stderr } = await runIn(f);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(states(run)).toEqual({ pick: 'failed', left: 'upstream_failed', right: 'upstream_failed', after_right: 'upstream_failed', join: 'upstream_failed' });
    const message = '$FLOW_BRANCH names "after_right", not a task directly downstream of this one (those are "left", "right")';
    expect(taskOf(run, 'pick').reason).toBe(message);
    expect(readFileSync(taskOf(run, 'pick').attempts[0]?.log ?? '', 'utf8')).toContain(`flow: ${message}`);
  });

  test('a TypeScript branch function returns the ids to follow', async () => {
    const f = fixture({
      'p.flow.ts': `export default {
  tasks: {
    pick: { run: () => ['right'], branch: true },
    left: { run: 'echo left', depends_on: ['pick'] },
    right: { run: 'echo right', depends_on: ['pick'] },
  },
};
`,
    });
    const { run } = await runIn(f, 'p.flow.ts');
    expect(states(run)).toEqual({ pick: 'success', left: 'skipped', right: 'success' });
  });
});

describe('outputs', () => {
  test('KEY=VALUE and KEY<<EOF reach every task downstream as FLOW_OUT_<TASK>_<KEY>, and are recorded and shown', async () => {
    const f = fixture({
      'p.flow.yaml': `
tasks:
  extract-data:
    run: |
      echo "rows=42" >> "$FLOW_OUTPUT"
      echo "path=/tmp/a=b" >> "$FLOW_OUTPUT"
      printf 'summary<<END\\nline one\\nline two\\nEND\\n' >> "$FLOW_OUTPUT"
  load:
    run: |
      printf '%s|%s|%s' "$FLOW_OUT_EXTRACT_DATA_rows" "$FLOW_OUT_EXTRACT_DATA_path" "$FLOW_OUT_EXTRACT_DATA_summary" > load.txt
      echo "loaded=yes" >> "$FLOW_OUTPUT"
    depends_on: [extract-data]
  report:
    run: echo "$FLOW_OUT_EXTRACT_DATA_rows $FLOW_OUT_LOAD_loaded" > report.txt
    depends_on: [load]
  unrelated:
    run: echo "[$FLOW_OUT_EXTRACT_DATA_rows]" > unrelated.txt
`,
    });
    const { run, code } = await runIn(f);
    expect(code).toBe(0);
    expect(readFileSync(f.path('load.txt'), 'utf8')).toBe('42|/tmp/a=b|line one\nline two');
    expect(readFileSync(f.path('report.txt'), 'utf8')).toBe('42 yes\n');
    expect(readFileSync(f.path('unrelated.txt'), 'utf8')).toBe('[]\n');
    expect(taskOf(run, 'extract-data').outputs).toEqual({ rows: '42', path: '/tmp/a=b', summary: 'line one\nline two' });
    const id = (JSON.parse((await f.flow(['history', '--json'])).stdout) as { id: string }[])[0]?.id ?? '';
    const shown = await f.flow(['show', id]);
    expect(shown.stdout).toMatch(/outputs\n\s+extract-data\.rows\s+42\n\s+extract-data\.path\s+\/tmp\/a=b\n\s+extract-data\.summary\s+line one \(\+1 lines\)/);
  });

  test('a TypeScript function\'s returned object gives outputs', async () => {
    const f = fixture({
      'p.flow.ts': `export default {
  tasks: {
    count: { run: () => ({ rows: 7, ok: true, name: 'x' }) },
    use: { run: 'echo "$FLOW_OUT_COUNT_rows $FLOW_OUT_COUNT_ok $FLOW_OUT_COUNT_name" > use.txt', depends_on: ['count'] },
  },
};
`,
    });
    const { run, code } = await runIn(f, 'p.flow.ts');
    expect(code).toBe(0);
    expect(taskOf(run, 'count').outputs).toEqual({ rows: '7', ok: 'true', name: 'x' });
    expect(readFileSync(f.path('use.txt'), 'utf8')).toBe('7 true x\n');
  });

  test.each([
    ['a line without "="', 'echo "just text" >> "$FLOW_OUTPUT"', '$FLOW_OUTPUT line 1: expected KEY=VALUE or KEY<<DELIMITER, got "just text"'],
    ['an unterminated block', 'printf "body<<EOF\\nsome\\n" >> "$FLOW_OUTPUT"', '$FLOW_OUTPUT line 1: the body<<EOF block never ends: no line "EOF" follows'],
    ['an invalid key', 'echo "1st-key=v" >> "$FLOW_OUTPUT"', '$FLOW_OUTPUT line 1: "1st-key" is not a valid output key (letters, digits and "_", not starting with a digit)'],
    ['too much output', 'head -c 70000 /dev/zero | tr "\\0" x | sed "s/^/big=/" >> "$FLOW_OUTPUT"', 'outputs hold 70004 bytes, over the limit of 64 KiB per task'],
  ])('%s fails the task with a clear message in its result and log; the run goes on', async (_what, command, message) => {
    const f = fixture({ 'p.flow.yaml': `tasks:\n  bad:\n    run: '${command.replace(/'/g, "''")}'\n  other:\n    run: echo fine\n  after:\n    run: "true"\n    depends_on: [bad]\n` });
    const { run, code, stderr } = await runIn(f);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(states(run)).toEqual({ bad: 'failed', other: 'success', after: 'upstream_failed' });
    expect(taskOf(run, 'bad').reason).toBe(message);
    expect(readFileSync(taskOf(run, 'bad').attempts[0]?.log ?? '', 'utf8')).toContain(`flow: ${message}\n`);
  });

  test('flow retry gives a re-run task the outputs of the tasks it does not run again', async () => {
    const f = fixture({
      'p.flow.yaml': `
tasks:
  make:
    run: echo "token=abc" >> "$FLOW_OUTPUT"; echo made >> made.txt
  use:
    run: test -f go && echo "$FLOW_OUT_MAKE_token" > used.txt
    depends_on: [make]
`,
    });
    const first = await runIn(f);
    expect(states(first.run)).toEqual({ make: 'success', use: 'failed' });
    f.write({ go: '' });
    const id = (JSON.parse((await f.flow(['history', '--json'])).stdout) as { id: string }[])[0]?.id ?? '';
    const retried = await f.flow(['retry', id, '--json']);
    expect(retried.code).toBe(0);
    expect(readFileSync(f.path('used.txt'), 'utf8')).toBe('abc\n');
    expect(readFileSync(f.path('made.txt'), 'utf8')).toBe('made\n');
  });

  test('two task ids that map to one environment name are refused at validate time', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  load-a:\n    run: "true"\n  load_a:\n    run: "true"\n' });
    const result = await f.flow(['validate', 'p.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('p.flow.yaml:4:3: tasks.load_a: tasks "load-a" and "load_a" both give outputs as FLOW_OUT_LOAD_A_*; rename one');
  });
});

describe('a timed-out attempt', () => {
  test('ends at its timeout, with timed_out and the kill grace recorded apart', async () => {
    const f = fixture({
      'p.flow.yaml': 'tasks:\n  stubborn:\n    run: trap "" TERM; sleep 30\n    timeout: 1s\n    kill_grace: 4s\n',
    });
    const { run } = await runIn(f);
    const attempt = taskOf(run, 'stubborn').attempts[0];
    expect(attempt?.timed_out).toBe(true);
    expect(attempt?.kill_grace_ms).toBeGreaterThanOrEqual(3000);
    // Ended at the timeout, not after the grace: the run, which waits the grace out, ended at least that much later.
    // (Lower bounds only: a loaded machine can make the timeout fire late, never early.)
    expect(Date.parse(run.ended_at ?? '') - Date.parse(attempt?.ended_at ?? '')).toBeGreaterThanOrEqual(3000);
  });
});
