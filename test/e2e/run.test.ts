import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture } from '../helpers/flow.js';

interface RunJson {
  status: string;
  tasks: { id: string; status: string; reason: string | null; attempts: { exit_code: number | null; timed_out: boolean; error: string | null }[] }[];
}

function parseRun(stdout: string): RunJson {
  return JSON.parse(stdout) as RunJson;
}

function stamps(dir: string, task: string): { start: bigint; end: bigint } {
  const read = (what: string) => BigInt(readFileSync(`${dir}/${task}.${what}`, 'utf8').trim());
  return { start: read('start'), end: read('end') };
}

// Each middle task writes when it started and ended, so overlap is shown by the tasks' own clocks.
const DIAMOND = `
tasks:
  first:
    run: date +%s%N > first.end
  left:
    run: date +%s%N > left.start; sleep 0.5; date +%s%N > left.end
    depends_on: [first]
  right:
    run: date +%s%N > right.start; sleep 0.5; date +%s%N > right.end
    depends_on: [first]
  last:
    run: date +%s%N > last.start
    depends_on: [left, right]
`;

// Each middle task waits (up to a minute) for the other to start before it ends: the run can only succeed if
// both run at once, however slowly a loaded machine starts them. A start file appears (renamed into place) only
// once its time is in it.
const meet = (self: string, other: string) =>
  `date +%s%N > ${self}.tmp; mv ${self}.tmp ${self}.start; n=0; until [ -e ${other}.start ]; do n=$((n+1)); [ $n -lt 1200 ] || exit 9; sleep 0.05; done; date +%s%N > ${self}.end`;
const MEETING_DIAMOND = DIAMOND.replace(/run: date \+%s%N > left\.start.*/, `run: ${meet('left', 'right')}`).replace(/run: date \+%s%N > right\.start.*/, `run: ${meet('right', 'left')}`);

describe('flow run', () => {
  test('runs a diamond with its middle tasks at the same time', async () => {
    const f = fixture({ 'diamond.flow.yaml': MEETING_DIAMOND });
    const result = await f.flow(['run', 'diamond.flow.yaml']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const left = stamps(f.dir, 'left');
    const right = stamps(f.dir, 'right');
    expect(left.start < right.end && right.start < left.end).toBe(true);
    const first = BigInt(readFileSync(f.path('first.end'), 'utf8'));
    const last = BigInt(readFileSync(f.path('last.start'), 'utf8'));
    expect(first <= left.start && first <= right.start).toBe(true);
    expect(last >= left.end && last >= right.end).toBe(true);
    expect(result.stdout).toMatch(/diamond success/);
  });

  test('--concurrency 1 runs one task at a time', async () => {
    const f = fixture({ 'diamond.flow.yaml': DIAMOND });
    const result = await f.flow(['run', 'diamond.flow.yaml', '--concurrency', '1']);
    expect(result.code).toBe(0);
    const left = stamps(f.dir, 'left');
    const right = stamps(f.dir, 'right');
    expect(left.end <= right.start || right.end <= left.start).toBe(true);
  });

  test('retries a task that fails twice, then succeeds', async () => {
    const f = fixture({
      'flaky.flow.yaml': `
tasks:
  flaky:
    run: n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "attempt $FLOW_ATTEMPT"; [ $n -ge 3 ]
    retries: 2
    retry_delay: 100ms
`,
    });
    const result = await f.flow(['run', 'flaky.flow.yaml', '--json']);
    expect(result.code).toBe(0);
    const run = parseRun(result.stdout);
    expect(run.status).toBe('success');
    expect(run.tasks[0]?.attempts.map((attempt) => attempt.exit_code)).toEqual([1, 1, 0]);
    expect(readFileSync(f.path('count'), 'utf8').trim()).toBe('3');
  });

  test('fails when retries run out, with exit code 1 and the reason', async () => {
    const f = fixture({ 'bad.flow.yaml': 'tasks:\n  boom:\n    run: echo about to fail; exit 3\n    retries: 1\n    retry_delay: 50ms\n' });
    const result = await f.flow(['run', 'bad.flow.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "boom" failed: exit code 3: echo about to fail; exit 3');
    expect(result.stdout).toContain('| about to fail');
    expect(result.stdout).toMatch(/boom\s+failed\s+2/);
  });

  test('every trigger rule decides as Airflow does', async () => {
    const rules = [
      'all_success', 'all_done', 'all_failed', 'one_success', 'one_failed', 'none_failed', 'always',
      'one_done', 'none_failed_min_one_success', 'none_skipped', 'all_skipped', 'all_done_min_one_success',
    ];
    const tasks = rules.map((rule) => `  ${rule}:\n    run: "true"\n    depends_on: [ok, bad]\n    trigger_rule: ${rule}\n`).join('');
    const onlyOk = rules.map((rule) => `  ok_${rule}:\n    run: "true"\n    depends_on: [ok]\n    trigger_rule: ${rule}\n`).join('');
    const f = fixture({ 'rules.flow.yaml': `tasks:\n  ok:\n    run: "true"\n  bad:\n    run: exit 1\n${tasks}${onlyOk}` });
    const result = await f.flow(['run', 'rules.flow.yaml', '--json']);
    expect(result.code).toBe(1);
    const status = Object.fromEntries(parseRun(result.stdout).tasks.map((task) => [task.id, task.status]));
    // Airflow 2.10's outcomes for these upstream mixes (see test/unit/trigger-rules.test.ts for the whole table).
    expect(status).toEqual({
      ok: 'success',
      bad: 'failed',
      all_success: 'upstream_failed',
      all_done: 'success',
      all_failed: 'skipped',
      one_success: 'success',
      one_failed: 'success',
      none_failed: 'upstream_failed',
      always: 'success',
      one_done: 'success',
      none_failed_min_one_success: 'upstream_failed',
      none_skipped: 'success',
      all_skipped: 'skipped',
      all_done_min_one_success: 'success',
      ok_all_success: 'success',
      ok_all_done: 'success',
      ok_all_failed: 'skipped',
      ok_one_success: 'success',
      ok_one_failed: 'skipped',
      ok_none_failed: 'success',
      ok_always: 'success',
      ok_one_done: 'success',
      ok_none_failed_min_one_success: 'success',
      ok_none_skipped: 'success',
      ok_all_skipped: 'skipped',
      ok_all_done_min_one_success: 'success',
    });
  });

  test('all_failed runs when every upstream task failed, and skips cascade', async () => {
    const f = fixture({
      'cascade.flow.yaml': `
tasks:
  a: { run: exit 1 }
  b: { run: exit 2 }
  cleanup: { run: "true", depends_on: [a, b], trigger_rule: all_failed }
  next: { run: "true", depends_on: [a] }
  after_next: { run: "true", depends_on: [next] }
`,
    });
    const result = await f.flow(['run', 'cascade.flow.yaml', '--json']);
    const tasks = parseRun(result.stdout).tasks;
    const status = Object.fromEntries(tasks.map((task) => [task.id, task.status]));
    expect(status).toEqual({ a: 'failed', b: 'failed', cleanup: 'success', next: 'upstream_failed', after_next: 'upstream_failed' });
    expect(tasks.find((task) => task.id === 'after_next')?.reason).toBe('upstream "next" did not succeed');
  });

  test('--only runs just those tasks; --from runs a task and its downstream', async () => {
    const pipeline = `
tasks:
  a: { run: echo a >> ran }
  b: { run: echo b >> ran, depends_on: [a] }
  c: { run: echo c >> ran, depends_on: [b] }
  d: { run: echo d >> ran, depends_on: [a] }
`;
    const f = fixture({ 'p.flow.yaml': pipeline });
    expect((await f.flow(['run', 'p.flow.yaml', '--only', 'c,d'])).code).toBe(0);
    expect(readFileSync(f.path('ran'), 'utf8').split('\n').filter(Boolean).sort()).toEqual(['c', 'd']);

    const g = fixture({ 'p.flow.yaml': pipeline });
    expect((await g.flow(['run', 'p.flow.yaml', '--from', 'b'])).code).toBe(0);
    expect(readFileSync(g.path('ran'), 'utf8').split('\n').filter(Boolean)).toEqual(['b', 'c']);
  });

  test('--dry-run --json prints the plan and runs nothing', async () => {
    const f = fixture({ 'diamond.flow.yaml': DIAMOND });
    const result = await f.flow(['run', 'diamond.flow.yaml', '--dry-run', '--json', '--concurrency', '3']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { version: number; concurrency: number; stages: string[][]; tasks: { id: string; depends_on: string[] }[] };
    expect(plan.version).toBe(1);
    expect(plan.concurrency).toBe(3);
    expect(plan.stages).toEqual([['first'], ['left', 'right'], ['last']]);
    expect(plan.tasks.find((task) => task.id === 'last')?.depends_on).toEqual(['left', 'right']);
    expect(() => readFileSync(f.path('first.end'))).toThrow();

    const text = await f.flow(['run', 'diamond.flow.yaml', '--dry-run']);
    expect(text.stdout).toContain('stage 2: left, right');
  });

  test('tasks get the pipeline and task env and FLOW_* variables, and start in the pipeline file directory', async () => {
    const f = fixture({
      'sub/env.flow.yaml': `
env: { WHO: pipeline, SHARED: pipeline }
defaults: { env: { FROM_DEFAULTS: yes } }
tasks:
  show:
    env: { SHARED: task }
    run: printf '%s\\n' "$WHO" "$SHARED" "$FROM_DEFAULTS" "$FLOW_PIPELINE" "$FLOW_TASK" "$FLOW_ATTEMPT" "$FLOW_TRIGGER" "$FLOW_LOGICAL_DATE" "$FLOW_DS" "$FLOW_RUN_ID" "$(pwd)" > out
`,
    });
    const result = await f.flow(['run', 'sub/env.flow.yaml']);
    expect(result.code).toBe(0);
    const [who, shared, fromDefaults, pipeline, task, attempt, trigger, logical, ds, runId, cwd] = readFileSync(f.path('sub/out'), 'utf8').split('\n');
    expect([who, shared, fromDefaults, pipeline, task, attempt, trigger]).toEqual(['pipeline', 'task', 'yes', 'env', 'show', '1', 'manual']);
    expect(logical).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?\+00:00$/);
    expect(ds).toBe(logical?.slice(0, 10));
    expect(runId).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-z]{6}$/);
    expect(cwd).toBe(f.path('sub'));
  });

  test('a timeout ends the whole process group, even a grandchild that ignores SIGTERM', async () => {
    const f = fixture({
      'slow.flow.yaml': `
tasks:
  slow:
    run: sh -c 'trap "" TERM; echo $$ > grandchild.pid; exec sleep 600' & echo started; wait
    timeout: 5s
    kill_grace: 500ms
`,
    });
    // 5 s leaves a loaded machine time to start the grandchild before the timeout; its sleep 600 outlasts the
    // command's deadline, so the run ending at all shows the group was ended.
    const result = await f.flow(['run', 'slow.flow.yaml', '--json']);
    expect(result.code).toBe(1);
    const task = parseRun(result.stdout).tasks[0];
    expect(task?.attempts[0]?.timed_out).toBe(true);
    expect(task?.reason).toBe('timed out after 5s');
    const pid = Number(readFileSync(f.path('grandchild.pid'), 'utf8'));
    await eventually('the grandchild to be gone', () => !alive(pid));
  });

  test('a task that prints without a newline and one that prints a lot both land in their logs', async () => {
    const f = fixture({ 'out.flow.yaml': "tasks:\n  a:\n    run: printf 'no newline'; exit 4\n  b:\n    run: seq 1 200000\n" });
    const result = await f.flow(['run', 'out.flow.yaml', '--json']);
    const run = JSON.parse(result.stdout) as { tasks: { id: string; attempts: { log: string }[] }[] };
    const log = (id: string) => readFileSync(run.tasks.find((task) => task.id === id)?.attempts[0]?.log ?? '', 'utf8');
    expect(log('a')).toBe('no newline');
    expect(log('b').split('\n').at(-2)).toBe('200000');
  });
});
