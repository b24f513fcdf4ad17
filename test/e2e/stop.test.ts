import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture, within } from '../helpers/flow.js';

const LONG = `
tasks:
  long:
    run: sh -c 'echo $$ > child.pid; sleep 60' & echo $! > wrapper.pid; sleep 60
  stubborn:
    run: sh -c 'trap "" TERM; echo $$ > stubborn.pid; exec sleep 60' & wait
    kill_grace: 1s
  later:
    run: touch later.ran
    depends_on: [long]
`;

describe('stopping a run', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    test(`${signal} mid-run ends every task process, starts nothing more and exits ${code}`, async () => {
      const f = fixture({ 'long.flow.yaml': LONG });
      const run = f.start(['run', 'long.flow.yaml']);
      await eventually('the tasks to start', () => ['child.pid', 'stubborn.pid'].every((name) => existsSync(f.path(name))));
      const pids = ['child.pid', 'wrapper.pid', 'stubborn.pid'].map((name) => Number(readFileSync(f.path(name), 'utf8')));
      run.signal(signal);
      const result = await run.exited;
      expect(result.code).toBe(code);
      expect(result.stdout).toMatch(/long\s+cancelled/);
      expect(result.stdout).toMatch(/later\s+cancelled/);
      expect(existsSync(f.path('later.ran'))).toBe(false);
      await eventually('every task process to be gone', () => pids.every((pid) => !alive(pid)));
    });
  }

  test('a second Ctrl-C kills tasks at once instead of waiting out their kill grace', async () => {
    const f = fixture({ 'stubborn.flow.yaml': 'tasks:\n  s:\n    run: trap "" TERM INT; echo $$ > s.pid; while true; do sleep 0.1; done\n    kill_grace: 600s\n' });
    const run = f.start(['run', 'stubborn.flow.yaml']);
    await eventually('the task to start', () => existsSync(f.path('s.pid')));
    run.signal('SIGINT');
    await run.waitFor('the stop notice', (out) => out.stdout.includes('stopping'));
    run.signal('SIGINT');
    // The kill grace is 10 minutes: ending within the deadline shows it was not waited out.
    const result = await within('flow run to end after the second Ctrl-C', run.exited);
    expect(result.code).toBe(130);
    const pid = Number(readFileSync(f.path('s.pid'), 'utf8'));
    await eventually('the task to be gone', () => !alive(pid));
  });
});
