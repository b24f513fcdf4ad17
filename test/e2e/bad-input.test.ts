import { chmodSync, existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

/** One clear line (plus at most a hint), a non-zero exit, never a stack trace. */
function expectClearError(result: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('bad input', () => {
  test('a missing file', async () => {
    const f = fixture();
    expectClearError(await f.flow(['run', 'nowhere.flow.yaml']), /^flow: nowhere\.flow\.yaml: no such file$/m);
  });

  test('an unknown pipeline lists the known ones', async () => {
    const f = fixture({ 'pipelines/backup.flow.yaml': 'tasks:\n  a:\n    run: "true"\n', 'pipelines/etl.flow.yaml': 'name: nightly-etl\ntasks:\n  a:\n    run: "true"\n' });
    const result = await f.flow(['run', 'backups']);
    expectClearError(result, /^flow: unknown pipeline "backups" \(did you mean "backup"\?\)$/m);
    expect(result.stderr).toContain('backup, nightly-etl');
  });

  test('a pipeline is found by its name inside the file', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': 'name: nightly-etl\ntasks:\n  a:\n    run: echo found > found\n' });
    expect((await f.flow(['run', 'nightly-etl'])).code).toBe(0);
  });

  test('a YAML syntax error names the file, line and column', async () => {
    const f = fixture({ 'broken.flow.yaml': 'tasks:\n  a:\n    run: "unterminated\n' });
    const result = await f.flow(['run', 'broken.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^broken\.flow\.yaml:3:10: YAML syntax: Missing closing "quote/m);
  });

  test('an unknown task in --only', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  extract:\n    run: "true"\n' });
    expectClearError(await f.flow(['run', 'p.flow.yaml', '--only', 'extrat']), /^flow: --only: pipeline "p" has no task "extrat" \(did you mean "extract"\?\)$/m);
  });

  test('a command that is not found fails with 127, said so', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: no-such-command-here --now\n' });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "a" failed: command not found (exit code 127): no-such-command-here --now');
  });

  test("a task's own exit 127 is an exit code, not a missing command", async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: echo "no such customer"; exit 127\n' });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "a" failed: exit code 127: echo "no such customer"; exit 127');
    expect(result.stdout).not.toContain('command not found');
  });

  test('a cwd that does not exist', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n    cwd: /no/such/dir\n' });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "a" failed: cwd /no/such/dir does not exist');
  });

  test('a shell that does not exist', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n    shell: /bin/no-such-shell\n' });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "a" failed: /bin/no-such-shell not found');
  });

  test('an unwritable FLOW_HOME', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n', 'home-is-a-file': '' });
    expectClearError(await f.flow(['run', 'p.flow.yaml'], { env: { FLOW_HOME: f.path('home-is-a-file', 'state') } }), /FLOW_HOME|logs/);
    expectClearError(await f.flow(['run', 'p.flow.yaml'], { env: { FLOW_HOME: '/proc/flow-home' } }), /FLOW_HOME|logs/);
    if (process.getuid?.() !== 0) {
      chmodSync(f.dir, 0o555);
      expectClearError(await f.flow(['run', 'p.flow.yaml'], { env: { FLOW_HOME: f.path('new-home') } }), /permission denied/);
      chmodSync(f.dir, 0o755);
    }
  });

  test('flow daemon --dir naming a directory that does not exist is refused, not created', async () => {
    const f = fixture({ 'a-file': '' });
    expectClearError(await f.flow(['daemon', '--dir', f.path('pipelnes')]), /^flow: --dir .*pipelnes: no such directory; create it \(mkdir -p .*\) or correct the path$/m);
    expect(existsSync(f.path('pipelnes'))).toBe(false);
    expectClearError(await f.flow(['daemon', '--dir', f.path('a-file')]), /^flow: --dir .*a-file: not a directory$/m);
  });

  test('usage errors exit 2', async () => {
    const f = fixture();
    expect((await f.flow(['frobnicate'])).code).toBe(2);
    expect((await f.flow(['run'])).code).toBe(2);
    expect((await f.flow(['run', 'x', '--concurrency', 'zero'])).code).toBe(2);
  });
});
