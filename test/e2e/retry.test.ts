import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture, type Fixture } from '../helpers/flow.js';

interface RunJson {
  id: string;
  status: string;
  logical_date: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  tasks: { id: string; status: string; attempts: { attempt: number; exit_code: number | null; log: string }[] }[];
  retried?: { started_at: string; ended_at: string | null; tasks: string[]; previous_status: string }[];
  hooks: { event: string; task: string | null }[];
}

// `load` fails while the file `broken` exists (twice: it has one retry); `report` runs whatever happens to it.
const PIPELINE = `
timezone: Europe/Berlin
on_success: echo "success $FLOW_RUN_ID" >> hooks
on_failure: echo "failure $FLOW_RUN_ID $FLOW_FAILED_TASKS" >> hooks
tasks:
  extract:
    run: echo "extract $FLOW_ATTEMPT" >> ran
  load:
    run: echo "load $FLOW_ATTEMPT $FLOW_LOGICAL_DATE" >> ran; [ ! -e broken ]
    depends_on: [extract]
    retries: 1
    retry_delay: 10ms
  publish:
    run: echo "publish $FLOW_ATTEMPT" >> ran
    depends_on: [load]
  report:
    run: echo "report $FLOW_ATTEMPT" >> ran
    depends_on: [load]
    trigger_rule: all_done
  side:
    run: echo "side $FLOW_ATTEMPT" >> ran
`;

function ran(f: Fixture): string[] {
  const file = f.path('pipelines', 'ran');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function runs(f: Fixture): Promise<RunJson[]> {
  return JSON.parse((await f.flow(['history', '--json'])).stdout) as RunJson[];
}

/** A failed run: load failed twice, publish never ran, the rest succeeded. */
async function failedRun(f: Fixture): Promise<RunJson> {
  f.write({ 'pipelines/etl.flow.yaml': PIPELINE, 'pipelines/broken': '' });
  const first = await f.flow(['run', 'etl', '--date', '2026-03-28T03:00:00+01:00']);
  expect(first.code).toBe(1);
  f.write({ 'pipelines/ran': '' });
  return (await runs(f))[0] as RunJson;
}

function task(run: RunJson, id: string): RunJson['tasks'][number] {
  return run.tasks.find((entry) => entry.id === id) as RunJson['tasks'][number];
}

describe('flow retry', () => {
  test('re-runs only the failed task and its downstream, in the same run, keeping earlier attempts', async () => {
    const f = fixture();
    const before = await failedRun(f);
    expect(task(before, 'publish').status).toBe('upstream_failed');

    rmSync(f.path('pipelines', 'broken'));
    const result = await f.flow(['retry', before.id]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`retrying run ${before.id} of etl (logical date 2026-03-28T03:00:00+01:00): load, publish`);
    // The run's own logical date; attempts continue from 3; report (all_done) and the others keep their state.
    expect(ran(f)).toEqual(['load 3 2026-03-28T03:00:00+01:00', 'publish 1']);

    const after = await runs(f);
    expect(after).toHaveLength(1);
    const run = after[0] as RunJson;
    expect(run.id).toBe(before.id);
    expect(run.status).toBe('success');
    expect(run.logical_date).toBe(before.logical_date);
    expect(run.started_at).toBe(before.started_at);
    expect(Date.parse(run.ended_at ?? '')).toBeGreaterThan(Date.parse(before.ended_at ?? ''));
    expect(run.duration_ms).toBe(Date.parse(run.ended_at ?? '') - Date.parse(run.started_at));
    expect(task(run, 'load').attempts.map((attempt) => [attempt.attempt, attempt.exit_code])).toEqual([[1, 1], [2, 1], [3, 0]]);
    expect(task(run, 'load').attempts[2]?.log).toMatch(/load\.3\.log$/);
    expect(task(run, 'publish')).toMatchObject({ status: 'success', attempts: [{ attempt: 1 }] });
    for (const id of ['extract', 'report', 'side']) expect(task(run, id).attempts).toHaveLength(1);
    expect(run.retried).toEqual([{ started_at: expect.any(String) as string, ended_at: run.ended_at, tasks: ['load', 'publish'], previous_status: 'failed' }]);
    // Hooks fire as for a run: on_failure for the first pass, on_success for the retry.
    expect(readFileSync(f.path('pipelines', 'hooks'), 'utf8')).toBe(`failure ${run.id} load\nsuccess ${run.id}\n`);
    expect(run.hooks.map((hook) => hook.event)).toEqual(['on_failure', 'on_success']);
  });

  test('--task T --downstream re-runs T and everything after it; --task alone re-runs just T', async () => {
    const f = fixture();
    const before = await failedRun(f);
    const result = await f.flow(['retry', before.id, '--task', 'extract', '--downstream']);
    // load still fails (broken is still there): the run stays failed.
    expect(result.code).toBe(1);
    expect(ran(f).map((line) => line.split(' ')[0]).sort()).toEqual(['extract', 'load', 'load', 'report']);
    const run = (await runs(f))[0] as RunJson;
    expect(task(run, 'extract').attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(task(run, 'load').attempts.map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4]);
    expect(task(run, 'report').attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(task(run, 'publish').status).toBe('upstream_failed');
    expect(task(run, 'side').attempts).toHaveLength(1);
    expect(run.status).toBe('failed');

    f.write({ 'pipelines/ran': '' });
    expect((await f.flow(['retry', before.id, '--task', 'side'])).code).toBe(1);
    expect(ran(f)).toEqual(['side 2']);
    expect((await runs(f))[0]?.status).toBe('failed');
  });

  test('refuses an unknown task, a run with nothing to retry, an unknown run, and a run still running', async () => {
    const f = fixture();
    const before = await failedRun(f);
    const unknown = await f.flow(['retry', before.id, '--task', 'lod']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`flow: run ${before.id} has no task "lod" (did you mean "load"?)\n  its tasks: extract, load, publish, report, side\n`);

    f.write({ 'pipelines/ok.flow.yaml': 'tasks:\n  a:\n    run: "true"\n' });
    await f.flow(['run', 'ok']);
    const ok = (await runs(f))[0] as RunJson;
    const nothing = await f.flow(['retry', ok.id]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr.split('\n')[0]).toBe(`flow: run ${ok.id} succeeded: no task to retry`);
    const missing = await f.flow(['retry', '20200101T000000.000Z-aaaaaa']);
    expect(missing.stderr.split('\n')[0]).toBe('flow: no run 20200101T000000.000Z-aaaaaa');

    f.write({ 'pipelines/slow.flow.yaml': 'tasks:\n  wait:\n    run: touch waiting; while [ ! -e go ]; do sleep 0.05; done\n' });
    const slow = f.start(['run', 'slow']);
    await eventually('the slow run to start', () => existsSync(f.path('pipelines', 'waiting')));
    const running = (await runs(f))[0] as RunJson & { pid: number };
    const refused = await f.flow(['retry', running.id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toBe(`flow: run ${running.id} is running, by pid ${running.pid}`);
    f.write({ 'pipelines/go': '' });
    expect((await slow.exited).code).toBe(0);
  });
});
