import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

interface Run {
  id: string;
  pipeline: string;
  trigger: string;
  status: string;
  tasks: { id: string; status: string; attempts: { exit_code: number | null; timed_out: boolean; log: string }[] }[];
}

describe('flow run -- COMMAND: one crontab line, wrapped', () => {
  test("passes the command's output and exit code through, and records it as pipeline and task NAME", async () => {
    const f = fixture();
    const result = await f.flow(['run', '--name', 'backup', '--', 'sh', '-c', 'echo "full=$1 two=$2"; echo oops >&2; exit 3', 'sh', '--full', 'two words']);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('full=--full two=two words\noops\n');
    expect(result.stderr).toMatch(/^flow: backup failed: exit code 3 \(run \S+; see `flow logs backup`\)$/m);
    const runs = JSON.parse((await f.flow(['history', 'backup', '--json'])).stdout) as Run[];
    expect(runs[0]).toMatchObject({ pipeline: 'backup', trigger: 'command', status: 'failed' });
    expect(runs[0]?.tasks[0]).toMatchObject({ id: 'backup', status: 'failed' });
    expect((await f.flow(['logs', 'backup'])).stdout).toBe('full=--full two=two words\noops\n');
    expect((await f.flow(['history', '--trigger', 'command'])).stdout).toMatch(/backup\s+command/);
  });

  test('arguments are passed as given, never read by a shell', async () => {
    const f = fixture();
    const result = await f.flow(['run', '--name', 'literal', '--', 'printf', '%s|', '$HOME', '`id`', '; rm -rf x', '*']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('$HOME|`id`|; rm -rf x|*|');
  });

  test('retries as asked, and a timeout exits 124 like timeout(1)', async () => {
    const f = fixture();
    const flaky = await f.flow(['run', '--name', 'flaky', '--retries', '2', '--retry-delay', '50ms', '--', 'sh', '-c', 'n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ $n -ge 2 ]']);
    expect(flaky.code).toBe(0);
    expect(readFileSync(f.path('n'), 'utf8').trim()).toBe('3');
    const runs = JSON.parse((await f.flow(['history', 'flaky', '--json'])).stdout) as Run[];
    expect(runs[0]?.tasks[0]?.attempts.map((attempt) => attempt.exit_code)).toEqual([1, 1, 0]);

    // sleep 600 outlasts the command's deadline: that it ends at all shows the timeout ended it.
    const slow = await f.flow(['run', '--name', 'slow', '--timeout', '500ms', '--', 'sleep', '600']);
    expect(slow.code).toBe(124);
    expect(slow.stderr).toContain('flow: slow failed: timed out after 500ms');
  });

  test('standard input reaches the command (a crontab % line), a missing command exits 127', async () => {
    const f = fixture();
    expect((await f.flow(['run', '--name', 'cat', '--', 'cat'], { input: 'line one\nline two\n' })).stdout).toBe('line one\nline two\n');
    const missing = await f.flow(['run', '--name', 'nope', '--', '/no/such/program']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('/no/such/program not found');
  });

  test("the config file's hooks fire for a wrapped command", async () => {
    const f = fixture({ 'config.yaml': 'on_failure: echo "$FLOW_PIPELINE $FLOW_TRIGGER $FLOW_EXIT_CODE" > failed.txt\n' });
    const result = await f.flow(['run', '--name', 'job', '--', 'sh', '-c', 'exit 5'], { env: { FLOW_CONFIG: f.path('config.yaml') } });
    expect(result.code).toBe(5);
    expect(readFileSync(f.path('failed.txt'), 'utf8')).toBe('job command 5\n');
  });

  test('usage mistakes are one line and exit 2', async () => {
    const f = fixture();
    const bad = await f.flow(['run', '--name', 'no spaces', '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--name: "no spaces" must use letters, digits');
    expect((await f.flow(['run', '--name', 'x', '--timeout', 'soon', '--', 'true'])).stderr).toContain('--timeout: "soon" is not a duration');
    expect((await f.flow(['run'])).code).toBe(2);
  });
});
