import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture } from '../helpers/flow.js';
import { runsOf } from '../helpers/daemon.js';

// Two tasks at once, each waiting for the test to say go, so the order their lines are written in is known.
const WAIT = (file: string) => `while [ ! -f ../${file} ]; do sleep 0.05; done`;
const PAIR = `tasks:
  alpha:
    run: echo a1; ${WAIT('go-a2')}; echo a2
  beta:
    run: ${WAIT('go-b1')}; echo b1; ${WAIT('go-end')}; echo b2
`;

describe('following a whole run', () => {
  test('flow logs P -f interleaves the output of two parallel tasks, each line prefixed, and returns at the end', async () => {
    const f = fixture({ 'pipelines/pair.flow.yaml': PAIR });
    const run = f.start(['run', 'pair']);
    await eventually('the run to be recorded', () => existsSync(f.path('.flow-home', 'runs', 'pair')));
    const logs = f.start(['logs', 'pair', '-f']);
    await logs.waitFor('a1', (out) => out.stdout.includes('alpha | a1'));
    writeFileSync(f.path('go-b1'), '');
    await logs.waitFor('b1', (out) => out.stdout.includes('beta  | b1'));
    writeFileSync(f.path('go-a2'), '');
    await logs.waitFor('a2', (out) => out.stdout.includes('alpha | a2'));
    writeFileSync(f.path('go-end'), '');
    const ended = await logs.exited;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toBe('');
    expect(ended.stdout).toBe('alpha | a1\nbeta  | b1\nalpha | a2\nbeta  | b2\n');
    expect((await run.exited).code).toBe(0);
  });

  test('flow logs of a one-task pipeline shows its log as it is; flow show P shows the latest run', async () => {
    const f = fixture({ 'pipelines/backup.flow.yaml': 'tasks:\n  backup:\n    run: echo one; echo two\n' });
    expect((await f.flow(['run', 'backup'])).code).toBe(0);
    const logs = await f.flow(['logs', 'backup']);
    expect(logs.stdout).toBe('one\ntwo\n');
    const [latest] = await runsOf(f, 'backup');
    const shown = await f.flow(['show', 'backup']);
    expect(shown.stdout).toContain(`backup run ${latest?.id ?? ''}: success`);
    const byPrefix = await f.flow(['logs', (latest?.id ?? '').slice(0, 20)]);
    expect(byPrefix.stdout).toBe('one\ntwo\n');
    const unknown = await f.flow(['show', 'bakup']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^flow: no run or pipeline "bakup" \(did you mean "backup"\?\)/);
  });

  test('SIGHUP (a closed terminal) during flow run ends it as SIGTERM does, recorded cancelled', async () => {
    const f = fixture({ 'pipelines/hang.flow.yaml': 'tasks:\n  a:\n    run: touch ../started; sleep 30\n' });
    const run = f.start(['run', 'hang']);
    await eventually('the task to start', () => existsSync(f.path('started')));
    run.signal('SIGHUP');
    const ended = await run.exited;
    expect(ended.code).toBe(129);
    const [record] = await runsOf(f, 'hang');
    expect(record?.status).toBe('cancelled');
    expect(record?.ended_at).not.toBe(null);
  });
});
