import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

const BAD = `name: etl
schedul: "* * * * *"
timezone: Mars/Olympus
concurrency: 0
defaults: { retry_delay: soon }
tasks:
  extract:
    run: ./extract.sh
    depends_on: [load, transfrom]
    retries: two
    trigger_rule: all_sucess
  transform:
    run: ./transform.sh
    timeout: 30
    depends_on: [extract]
  load:
    depends_on: [transform]
  load:
    run: ./load.sh
`;

describe('flow validate', () => {
  test('reports every problem at once as file:line:col: path: message, and exits 2', async () => {
    const f = fixture({ 'etl.flow.yaml': BAD });
    const result = await f.flow(['validate', 'etl.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('etl.flow.yaml:18:3: duplicate task id "load"');
    // A duplicate key stops at the syntax stage; the rest is checked once it is fixed.
    f.write({ 'etl.flow.yaml': BAD.replace(/ {2}load:\n {4}run: \.\/load\.sh\n$/, '') });
    const again = await f.flow(['validate', 'etl.flow.yaml']);
    expect(again.code).toBe(2);
    const lines = again.stdout.trim().split('\n');
    expect(lines).toEqual([
      'etl.flow.yaml:2:1: schedul: unknown key "schedul" (did you mean "schedule"?)',
      'etl.flow.yaml:3:11: timezone: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin or UTC)',
      'etl.flow.yaml:4:14: concurrency: must be at least 1, got 0',
      'etl.flow.yaml:5:26: defaults.retry_delay: expected a duration such as 250ms, 30s, 5m or 1h30m, got "soon"',
      'etl.flow.yaml:9:17: tasks.extract.depends_on: dependency cycle: extract -> transform -> load -> extract',
      'etl.flow.yaml:9:24: tasks.extract.depends_on.1: unknown task "transfrom" (did you mean "transform"?)',
      'etl.flow.yaml:10:14: tasks.extract.retries: expected a number, got "two"',
      'etl.flow.yaml:11:19: tasks.extract.trigger_rule: expected one of all_success, all_failed, all_done, all_done_min_one_success, all_done_setup_success, all_skipped, one_success, one_failed, one_done, none_failed, none_failed_min_one_success, none_skipped, always, got "all_sucess" (did you mean "all_success"?)',
      'etl.flow.yaml:14:14: tasks.transform.timeout: expected a duration such as 250ms, 30s, 5m or 1h30m, got 30',
      '9 problems in 1 of 1 file',
    ]);
  });

  test('validates the pipelines directory by default and reports pipelines that share a name', async () => {
    const f = fixture({
      'pipelines/a.flow.yaml': 'name: same\ntasks:\n  x:\n    run: "true"\n',
      'pipelines/b.flow.yml': 'name: same\ntasks:\n  x:\n    run: "true"\n',
      'pipelines/ok.flow.yaml': 'tasks:\n  x:\n    run: "true"\n',
      'pipelines/notes.txt': 'not a pipeline',
    });
    const result = await f.flow(['validate']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/b\.flow\.yml:1:1: name: pipeline "same" is also defined in .*a\.flow\.yaml/);
    expect(result.stdout).toContain('1 problem in 1 of 3 files');
  });

  test('a valid directory passes, and --json gives the data', async () => {
    const f = fixture({ 'pipelines/ok.flow.yaml': 'schedule: "*/5 * * * *"\ntasks:\n  x:\n    run: "true"\n' });
    const result = await f.flow(['validate', '--json']);
    expect(result.code).toBe(0);
    const [entry, ...rest] = JSON.parse(result.stdout) as Record<string, unknown>[];
    const { duration_ms: wall, cpu_ms: cpu, ...data } = entry ?? {};
    expect(rest).toEqual([]);
    expect(data).toEqual({ file: f.path('pipelines', 'ok.flow.yaml'), pipeline: 'ok', valid: true, problems: [] });
    expect([typeof wall, typeof cpu]).toEqual(['number', 'number']);
  });

  test('empty files, lists and multiple documents are explained', async () => {
    const f = fixture({ 'empty.flow.yaml': '', 'list.flow.yaml': '- a\n- b\n', 'two.flow.yaml': 'tasks: {}\n---\ntasks: {}\n', 'notasks.flow.yaml': 'name: x\n' });
    const result = await f.flow(['validate', '.']);
    expect(result.stdout).toContain('empty.flow.yaml:1:1: the file is empty');
    expect(result.stdout).toContain('list.flow.yaml:1:1: expected a mapping of pipeline keys');
    expect(result.stdout).toMatch(/two\.flow\.yaml:2:1: a pipeline file holds one YAML document/);
    expect(result.stdout).toMatch(/notasks\.flow\.yaml:1:1: tasks: is required/);
  });
});
