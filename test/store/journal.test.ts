/**
 * The run journal (src/store/journal.ts) against the built flow: what a run killed with -9 had recorded is all still
 * there, a journal cut short reads as what it holds, a journal with a bad line is set aside, and the files are
 * private. (Needs only the npm build, so it lives outside test/e2e.)
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture, type Fixture } from '../helpers/flow.js';

interface Run {
  id: string;
  status: string;
  tasks: { id: string; status: string; attempts: { ended_at: string | null; exit_code: number | null }[] }[];
}

const runsDir = (f: Fixture) => f.path('.flow-home', 'runs', 'p');
const journals = (f: Fixture) => readdirSync(runsDir(f)).filter((name) => name.endsWith('.journal'));

async function show(f: Fixture, id: string): Promise<{ run: Run; stderr: string }> {
  const result = await f.flow(['show', id, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return { run: JSON.parse(result.stdout) as Run, stderr: result.stderr };
}

describe('the run journal', () => {
  test('kill -9 mid-run: every task that finished is shown, and recovery marks the rest interrupted', async () => {
    const done = ['a', 'b', 'c', 'd', 'e'];
    const yaml = `tasks:\n${done.map((id) => `  ${id}:\n    run: "true"\n`).join('')}  wait:\n    run: touch started; exec sleep 300\n    depends_on: [${done.join(', ')}]\n`;
    const f = fixture({ 'pipelines/p.flow.yaml': yaml });
    const running = f.start(['run', 'p']);
    await eventually('the last task to start', () => existsSync(f.path('pipelines', 'started')));
    // The journal holds the run while it runs: private, and the run file not written yet.
    const [journal] = journals(f);
    expect(journal).toBeDefined();
    expect(statSync(`${runsDir(f)}/${journal}`).mode & 0o777).toBe(0o600);
    const id = (journal ?? '').slice(0, -'.journal'.length);
    // A reader sees every finished task while the run is alive (read from the journal, before any recovery).
    await eventually('the journal to say the last task runs', async () => (await show(f, id)).run.tasks.at(-1)?.status === 'running');
    const live = (await show(f, id)).run;
    expect(live.status).toBe('running');
    expect(live.tasks.filter((task) => task.status === 'success').map((task) => task.id)).toEqual(done);
    running.signal('SIGKILL');
    await running.exited;

    const history = await f.flow(['history', '--json']);
    expect(history.stderr).toMatch(/was left running by pid \d+, which is gone; marked it interrupted/);
    const [run] = JSON.parse(history.stdout) as Run[];
    expect(run?.status).toBe('interrupted');
    expect(run?.tasks.map((task) => [task.id, task.status])).toEqual([...done.map((task) => [task, 'success']), ['wait', 'interrupted']]);
    expect(run?.tasks[0]?.attempts[0]?.exit_code).toBe(0);
    // Recovery wrote the whole record and dropped the journal it replaces.
    expect(journals(f)).toEqual([]);
    expect(statSync(`${runsDir(f)}/${id}.json`).mode & 0o777).toBe(0o600);
  });

  test('a journal cut short reads as what it holds; a journal with a bad line is moved aside', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n  b:\n    run: "true"\n' });
    expect((await f.flow(['run', 'p'])).code).toBe(0);
    const [file] = readdirSync(runsDir(f));
    const id = (file ?? '').slice(0, -'.json'.length);
    const record = JSON.parse(readFileSync(`${runsDir(f)}/${id}.json`, 'utf8')) as Run;
    const journal = `${runsDir(f)}/${id}.journal`;
    const started = { ...record, tasks: record.tasks.map((task) => ({ ...task, status: 'pending', attempts: [] })) };

    // Only the journal, its last line cut short by kill -9: the lines before it count, the cut one does not.
    rmSync(`${runsDir(f)}/${id}.json`);
    const first = JSON.stringify({ run: started });
    const a = JSON.stringify({ task: record.tasks[0] });
    const b = JSON.stringify({ task: record.tasks[1] });
    writeFileSync(journal, `${first}\n${a}\n${b.slice(0, 40)}`, { mode: 0o600 });
    const cut = await show(f, id);
    expect(cut.stderr).toBe('');
    expect(cut.run.tasks.map((task) => task.status)).toEqual(['success', 'pending']);

    // A line that is not a change in the middle: the journal is kept aside, the run reads from its file alone.
    writeFileSync(`${runsDir(f)}/${id}.json`, JSON.stringify(started), { mode: 0o600 });
    writeFileSync(journal, `${first}\nnot json\n${a}\n`, { mode: 0o600 });
    const bad = await show(f, id);
    expect(bad.stderr).toMatch(/^flow: warning: run journal .*\.journal did not parse at line 2; kept it as .*\.journal\.corrupt-\d{8}T\d{6}Z$/m);
    expect(bad.run.tasks.map((task) => task.status)).toEqual(['pending', 'pending']);
    expect(journals(f)).toEqual([]);
    expect(readdirSync(runsDir(f)).filter((name) => name.includes('.journal.corrupt-'))).toHaveLength(1);

    // A line of the wrong shape is as bad as one that does not parse.
    writeFileSync(journal, `${first}\n{"task": []}\n`, { mode: 0o600 });
    expect((await show(f, id)).stderr).toMatch(/run journal .* has the wrong shape at line 2/);
  });
});
