import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture, type Fixture } from '../helpers/flow.js';
import type { RunJson } from '../helpers/run-json.js';

// Node's timers overflow past 2^31-1 ms (about 24.8 days) and fire at once; 30 days must mean 30 days.
async function history(f: Fixture): Promise<RunJson[]> {
  return JSON.parse((await f.flow(['history', '--json'])).stdout) as RunJson[];
}

describe('waits longer than a Node timer holds', () => {
  test('timeout, kill_grace and hook_timeout of 30d do not fire at once', async () => {
    const f = fixture({
      'p.flow.yaml': `hook_timeout: 30d
on_success: sleep 1; echo hooked > hooked
tasks:
  slow:
    run: sleep 2
    timeout: 30d
  graceful:
    # Ended by its 5s timeout (time for a loaded machine to start the shell and set its trap); with 30 days of
    # grace it finishes its own cleanup, SIGKILL never comes.
    run: trap 'sleep 1; echo cleaned up; exit 3' TERM; sleep 30 & wait
    timeout: 5s
    kill_grace: 30d
`,
    });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.stderr).toBe('');
    const [run] = await history(f);
    const status = Object.fromEntries((run?.tasks ?? []).map((task) => [task.id, task.status]));
    expect(status).toEqual({ slow: 'success', graceful: 'failed' });
    const graceful = run?.tasks.find((task) => task.id === 'graceful');
    expect(readFileSync(graceful?.attempts[0]?.log ?? '', 'utf8')).toContain('cleaned up');
    expect(result.stdout).toMatch(/Task "graceful" timed out after 5s/);
    // The run failed (graceful timed out), so on_success did not run; check the hook timeout with a passing run.
    f.write({ 'q.flow.yaml': 'hook_timeout: 30d\non_success: sleep 1; echo hooked > hooked\ntasks:\n  a:\n    run: "true"\n' });
    expect((await f.flow(['run', 'q.flow.yaml'])).code).toBe(0);
    expect(readFileSync(f.path('hooked'), 'utf8')).toBe('hooked\n');
  });

  test('a retry_delay of 30d waits: no second attempt while a sibling task runs to its end', async () => {
    const f = fixture({
      'p.flow.yaml': `tasks:
  flaky:
    run: exit 1
    retries: 3
    retry_delay: 30d
  sibling:
    run: sleep 2; touch sibling-done
`,
    });
    const running = f.start(['run', 'p.flow.yaml']);
    await running.waitFor('the retry to be announced', (out) => /attempt 2 in 30d/.test(out.stdout));
    await eventually('the sibling task to finish', () => existsSync(f.path('sibling-done')));
    let run: RunJson | undefined;
    await eventually('the sibling task to be recorded a success', async () => {
      run = (await history(f))[0];
      return run?.tasks.find((task) => task.id === 'sibling')?.status === 'success';
    });
    expect(run?.status).toBe('running');
    expect(run?.tasks.find((task) => task.id === 'flaky')?.attempts).toHaveLength(1);
    running.signal('SIGTERM');
    const ended = await running.exited;
    expect(ended.stdout).not.toMatch(/attempt 3/);
    const [after] = await history(f);
    expect(after?.tasks.find((task) => task.id === 'flaky')?.attempts).toHaveLength(1);
  });
});
