import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { states, type RunJson } from '../helpers/run-json.js';

describe('the skipped state', () => {
  test('an alert that was not needed is skipped, not upstream_failed, and a none_failed task after it runs', async () => {
    const f = fixture({
      'p.flow.yaml': `
tasks:
  extract:
    run: echo extracted
  alert:
    run: echo alert > alert.txt
    depends_on: [extract]
    trigger_rule: one_failed
  report:
    run: echo report > report.txt
    depends_on: [alert]
    trigger_rule: none_failed
  strict:
    run: echo strict > strict.txt
    depends_on: [alert]
`,
    });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as RunJson;
    expect(run.status).toBe('success');
    // As Airflow: one_failed after a success → skipped; none_failed after a skip → runs; all_success after a skip → skipped.
    expect(states(run)).toEqual({ extract: 'success', alert: 'skipped', report: 'success', strict: 'skipped' });
    expect(run.tasks.find((task) => task.id === 'alert')?.reason).toBe('trigger rule one_failed not met');
    expect(run.tasks.find((task) => task.id === 'strict')?.reason).toBe('upstream "alert" skipped');
    expect(readFileSync(f.path('report.txt'), 'utf8')).toBe('report\n');

    const id = (JSON.parse((await f.flow(['history', '--json'])).stdout) as { id: string }[])[0]?.id ?? '';
    const shown = await f.flow(['show', id]);
    expect(shown.stdout).toMatch(/alert\s+skipped\s+0\s+-\s+.*trigger rule one_failed not met/);
    const history = await f.flow(['history', '--json']);
    expect(history.stdout).toContain('"status": "success"');
  });

  test('a run whose tasks were all skipped succeeds, with a note', async () => {
    const f = fixture({
      'p.flow.yaml': `
tasks:
  gate:
    run: exit 99
  after:
    run: echo after
    depends_on: [gate]
`,
    });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as RunJson;
    expect(states(run)).toEqual({ gate: 'skipped', after: 'skipped' });
    expect(run).toMatchObject({ status: 'success', note: 'every task was skipped' });
    const text = await f.flow(['run', 'p.flow.yaml']);
    expect(text.stdout).toMatch(/p success \(every task was skipped\)/);
  });

  test('run-level hooks are told which tasks were skipped', async () => {
    const f = fixture({
      'p.flow.yaml': `
on_success: echo "$FLOW_STATUS skipped=$FLOW_SKIPPED_TASKS" > hook.txt
tasks:
  a:
    run: "true"
  b:
    run: "true"
    depends_on: [a]
    trigger_rule: all_failed
`,
    });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(0);
    expect(readFileSync(f.path('hook.txt'), 'utf8')).toBe('success skipped=b\n');
  });
});
