import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

const isRoot = process.getuid?.() === 0;

describe('user: runs tasks as that user', () => {
  test(isRoot ? 'as root, the task runs as the user, with its HOME' : 'as another user, the run is refused in one line', async () => {
    const f = fixture({ 'p.flow.yaml': 'user: nobody\ntasks:\n  who:\n    run: id -un; echo "home=$HOME user=$USER"\n    cwd: /\n' });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    if (isRoot) {
      expect(result.code).toBe(0);
      const run = JSON.parse(result.stdout) as { tasks: { attempts: { log: string }[] }[] };
      const { readFileSync } = await import('node:fs');
      const log = readFileSync(run.tasks[0]?.attempts[0]?.log ?? '', 'utf8').split('\n');
      expect(log[0]).toBe('nobody');
      expect(log[1]).toMatch(/^home=\S+ user=nobody$/);
    } else {
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/runs as user "nobody" .* only root can run tasks as another user/);
    }
  });

  test.runIf(isRoot)('as root, a task run as the user gives outputs to the tasks after it', async () => {
    const f = fixture({
      'p.flow.yaml': 'user: nobody\ntasks:\n  make:\n    run: echo "who=$(id -un)" >> "$FLOW_OUTPUT"\n    cwd: /\n  use:\n    run: echo "$FLOW_OUT_MAKE_who"\n    cwd: /\n    depends_on: [make]\n',
    });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as { tasks: { outputs?: Record<string, string>; attempts: { log: string }[] }[] };
    expect(run.tasks[0]?.outputs).toEqual({ who: 'nobody' });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(run.tasks[1]?.attempts[0]?.log ?? '', 'utf8')).toBe('nobody\n');
  });

  test('an unknown user is refused in one line', async () => {
    const f = fixture({ 'p.flow.yaml': 'user: no-such-user-here\ntasks:\n  a:\n    run: "true"\n' });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('runs as user "no-such-user-here" (user: in');
    expect(result.stderr).toContain('but there is no such user');
  });

  test.runIf(isRoot)('a task run as the user can write its outputs, though FLOW_HOME is 0700 and root\'s', async () => {
    const f = fixture({
      'p.flow.yaml': 'user: nobody\ntasks:\n  a:\n    run: set -e; echo "k=v" >> "$FLOW_OUTPUT"\n    cwd: /\n  b:\n    run: echo "got $FLOW_OUT_A_k"\n    depends_on: [a]\n    cwd: /\n',
    });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as { tasks: { id: string; attempts: { log: string }[] }[] };
    const { readFileSync } = await import('node:fs');
    const b = run.tasks.find((task) => task.id === 'b');
    expect(readFileSync(b?.attempts[0]?.log ?? '', 'utf8')).toBe('got v\n');
  });
});
