import { existsSync, readFileSync, readdirSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FLOW_SHELL, alive, eventually, fixture } from '../helpers/flow.js';

interface Run {
  id: string;
  pipeline: string;
  trigger: string;
  logical_date: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  host: string;
  pid: number;
  tasks: { id: string; status: string; attempts: { attempt: number; started_at: string; ended_at: string | null; exit_code: number | null; signal: string | null; timed_out: boolean; log: string }[] }[];
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/;

describe('run history', () => {
  test('records each run with the documented fields, newest first', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'tasks:\n  ok:\n    run: echo fine\n  bad:\n    run: exit 3\n    depends_on: [ok]\n' });
    await f.flow(['run', 'p']);
    await f.flow(['run', 'p']);
    const result = await f.flow(['history', '--json']);
    expect(result.stderr).toBe('');
    const runs = JSON.parse(result.stdout) as Run[];
    expect(runs).toHaveLength(2);
    expect((runs[0]?.id ?? '') > (runs[1]?.id ?? '')).toBe(true);
    const run = runs[0] as Run;
    expect(run).toMatchObject({ pipeline: 'p', trigger: 'manual', status: 'failed', pid: expect.any(Number) as number, host: expect.any(String) as string });
    expect(run.logical_date).toMatch(ISO);
    expect(run.started_at).toMatch(ISO);
    expect(run.ended_at).toMatch(ISO);
    expect(run.duration_ms).toBeGreaterThanOrEqual(0);
    const bad = run.tasks.find((task) => task.id === 'bad');
    expect(bad?.status).toBe('failed');
    expect(bad?.attempts[0]).toMatchObject({ attempt: 1, exit_code: 3, signal: null, timed_out: false });
    expect(readFileSync(bad?.attempts[0]?.log ?? '', 'utf8')).toBe('');
    expect(readFileSync(run.tasks[0]?.attempts[0]?.log ?? '', 'utf8')).toBe('fine\n');

    const table = await f.flow(['history', 'p', '--status', 'failed', '--limit', '1']);
    expect(table.stdout).toMatch(new RegExp(`^${run.id}\\s+p\\s+manual\\s+.*failed\\s+bad$`, 'm'));
    const detail = await f.flow(['show', run.id]);
    expect(detail.stdout).toMatch(/^\s+bad\s+failed\s+1\s+\S+\s+[·█]+\s+exit code 3$/m);
    const missing = await f.flow(['show', '20200101T000000.000Z-aaaaaa']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no run 20200101T000000.000Z-aaaaaa');
  });

  test('shows a running run live, and its task output with logs --follow until it ends', async () => {
    const f = fixture({ 'pipelines/slow.flow.yaml': 'tasks:\n  talk:\n    run: echo one; while [ ! -e go ]; do sleep 0.05; done; echo two; sleep 0.2; echo three\n' });
    const run = f.start(['run', 'slow']);
    await eventually('the run to be recorded as running', () => existsSync(f.path('.flow-home', 'history.json')) && readFileSync(f.path('.flow-home', 'history.json'), 'utf8').includes('"running"'));
    // The run is indexed before its first task starts: the task shows running a moment later, while the run runs.
    let history: Run[] = [];
    await eventually('the task to be shown running', async () => {
      history = JSON.parse((await f.flow(['history', '--json'])).stdout) as Run[];
      return history[0]?.tasks[0]?.status === 'running';
    });
    expect(history[0]?.status).toBe('running');

    const follow = f.start(['logs', 'talk', '--follow']);
    await follow.waitFor('the first line', (out) => out.stdout.includes('one\n'));
    expect(follow.stdout).not.toContain('two');
    writeFileSync(f.path('pipelines', 'go'), '');
    const followed = await follow.exited;
    expect(followed.code).toBe(0);
    expect(followed.stdout).toBe('one\ntwo\nthree\n');
    expect((await run.exited).code).toBe(0);
  });

  test('4 processes each starting 15 runs at once: exactly 60 runs, all complete and valid', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'tasks:\n  a:\n    run: echo "$FLOW_RUN_ID"\n  b:\n    run: "true"\n    depends_on: [a]\n' });
    const script = `for i in $(seq 15); do ${FLOW_SHELL} run p > /dev/null 2>> errors.txt & done; wait`;
    const { spawn } = await import('node:child_process');
    await Promise.all(
      [1, 2, 3, 4].map(
        () => new Promise<void>((resolve) => spawn('sh', ['-c', script], { cwd: f.dir, env: f.env, stdio: 'ignore' }).on('exit', () => resolve())),
      ),
    );
    expect(existsSync(f.path('errors.txt')) ? readFileSync(f.path('errors.txt'), 'utf8') : '').toBe('');
    const runs = JSON.parse((await f.flow(['history', '--json', '--limit', '100'])).stdout) as Run[];
    expect(runs).toHaveLength(60);
    expect(new Set(runs.map((run) => run.id)).size).toBe(60);
    for (const run of runs) {
      expect(run.status).toBe('success');
      expect(run.tasks.map((task) => task.status)).toEqual(['success', 'success']);
      expect(readFileSync(run.tasks[0]?.attempts[0]?.log ?? '', 'utf8')).toBe(`${run.id}\n`);
    }
    expect(readdirSync(f.path('.flow-home', 'runs', 'p'))).toHaveLength(60);
    expect(existsSync(f.path('.flow-home', 'history.lock'))).toBe(false);
  });

  test('kill -9 of flow run: the run becomes interrupted, and the task and its child are gone', async () => {
    const f = fixture({ 'pipelines/k.flow.yaml': 'tasks:\n  deep:\n    run: sh -c \'sleep 300 & echo $! > grandchild.pid; wait\' & echo $! > child.pid; wait\n' });
    const run = f.start(['run', 'k']);
    const pidFile = (name: string) => f.path('pipelines', name);
    await eventually('the task and its child to start', () => existsSync(pidFile('child.pid')) && existsSync(pidFile('grandchild.pid')) && readFileSync(pidFile('grandchild.pid'), 'utf8').trim() !== '');
    const pids = ['child.pid', 'grandchild.pid'].map((name) => Number(readFileSync(pidFile(name), 'utf8')));
    run.signal('SIGKILL');
    await run.exited;
    const history = await f.flow(['history', '--json']);
    const runs = JSON.parse(history.stdout) as Run[];
    expect(runs[0]?.status).toBe('interrupted');
    expect(runs[0]?.tasks[0]?.status).toBe('interrupted');
    expect(runs[0]?.ended_at).toMatch(ISO);
    expect(history.stderr).toMatch(/was left running by pid \d+, which is gone; marked it interrupted/);
    await eventually('child and grandchild to be gone', () => pids.every((pid) => !alive(pid)));
  });

  test('a truncated history.json is moved aside with a warning, and new runs are recorded', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n' });
    await f.flow(['run', 'p']);
    const index = f.path('.flow-home', 'history.json');
    const text = readFileSync(index, 'utf8');
    writeFileSync(index, text.slice(0, Math.floor(text.length / 2)));
    const again = await f.flow(['run', 'p']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^flow: warning: history index .*history\.json did not parse; kept it as .*history\.json\.corrupt-\d{8}T\d{6}Z and rebuilt the index from 1 run files$/m);
    const aside = readdirSync(f.path('.flow-home')).filter((name) => name.startsWith('history.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(f.path('.flow-home', aside[0] ?? ''), 'utf8')).toBe(text.slice(0, Math.floor(text.length / 2)));
    const runs = JSON.parse((await f.flow(['history', '--json'])).stdout) as Run[];
    expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
  });

  test('a corrupt run file is moved aside; its run still lists from the index', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n' });
    await f.flow(['run', 'p']);
    await f.flow(['run', 'p']);
    const dir = f.path('.flow-home', 'runs', 'p');
    const [first] = readdirSync(dir).sort();
    writeFileSync(join(dir, first ?? ''), '{"id": "trunc');
    const result = await f.flow(['history', '--json']);
    expect(result.stderr).toMatch(/run record .* did not parse; kept it as .*\.corrupt-/);
    expect((JSON.parse(result.stdout) as Run[]).length).toBe(2);
  });

  test('retention removes old records and their logs', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'tasks:\n  a:\n    run: echo kept\n' });
    for (let i = 0; i < 4; i++) await f.flow(['run', 'p']);
    const runs = JSON.parse((await f.flow(['history', '--json'])).stdout) as Run[];
    // An old run: a copy of a real one, dated 2020.
    const home = f.path('.flow-home');
    const old = '20200101T000000.000Z-0ld0ld';
    const source = runs[0] as Run;
    const copy = JSON.parse(readFileSync(join(home, 'runs', 'p', `${source.id}.json`), 'utf8')) as Run;
    writeFileSync(join(home, 'runs', 'p', `${old}.json`), JSON.stringify({ ...copy, id: old }));
    mkdirSync(join(home, 'logs', 'p', old), { recursive: true });
    cpSync(join(home, 'logs', 'p', source.id), join(home, 'logs', 'p', old), { recursive: true });

    const dry = await f.flow(['prune', '--dry-run']);
    expect(dry.stdout).toContain(`would remove p ${old}`);
    expect(existsSync(join(home, 'runs', 'p', `${old}.json`))).toBe(true);

    const pruned = await f.flow(['prune', '--keep-runs', '2']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain('removed 3 runs');
    const left = (JSON.parse((await f.flow(['history', '--json'])).stdout) as Run[]).map((run) => run.id);
    expect(left).toEqual(runs.slice(0, 2).map((run) => run.id));
    expect(readdirSync(join(home, 'logs', 'p')).sort()).toEqual([...left].sort());
    expect(readdirSync(join(home, 'runs', 'p')).sort()).toEqual(left.map((id) => `${id}.json`).sort());
  });

  test('flow logs finds the task, tails it, and says what exists when it cannot', async () => {
    const f = fixture({
      'pipelines/one.flow.yaml': 'tasks:\n  load:\n    run: seq 1 5\n    retries: 1\n    retry_delay: 10ms\n  shared:\n    run: echo one\n',
      'pipelines/two.flow.yaml': 'tasks:\n  shared:\n    run: echo two\n',
    });
    await f.flow(['run', 'one']);
    await f.flow(['run', 'two']);
    expect((await f.flow(['logs', 'load'])).stdout).toBe('1\n2\n3\n4\n5\n');
    expect((await f.flow(['logs', 'load', '--tail', '2'])).stdout).toBe('4\n5\n');
    const ambiguous = await f.flow(['logs', 'shared']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('task "shared" is in several pipelines: one, two');
    expect((await f.flow(['logs', 'shared', '--pipeline', 'two'])).stdout).toBe('two\n');
    const unknown = await f.flow(['logs', 'lod']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no task "lod" in any recorded run \(did you mean "load"\?\)/);
    const noAttempt = await f.flow(['logs', 'load', '--attempt', '2']);
    expect(noAttempt.stderr).toContain('has no attempt 2; it has 1');
  });
});
