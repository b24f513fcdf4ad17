import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { startDaemon, stopDaemon } from '../helpers/daemon.js';

/**
 * Two one-task pipelines due at the same instants, each waiting (up to `seconds`) for the other to have started:
 * long enough, where they must meet, for a loaded machine to start the other.
 */
function barrierPipelines(f: ReturnType<typeof fixture>, seconds: number): void {
  const task = (mine: string, theirs: string) =>
    `schedule: "*/3 * * * * *"\ntasks:\n  t:\n    run: touch ${f.path(mine)}; for i in $(seq ${seconds * 10}); do [ -e ${f.path(theirs)} ] && exit 0; sleep 0.1; done; exit 1\n`;
  f.write({ 'pipelines/p1.flow.yaml': task('one', 'two'), 'pipelines/p2.flow.yaml': task('two', 'one') });
}

describe('the daemon has no task cap unless asked, as cron', () => {
  test('by default, tasks of two pipelines due together run side by side', async () => {
    const f = fixture();
    barrierPipelines(f, 60);
    const daemon = startDaemon(f);
    await daemon.waitFor('the start line', (out) => out.stdout.includes('no limit on tasks at once'));
    await daemon.waitFor('both runs to succeed together', (out) => /run \S+ of p1 success/.test(out.stdout) && /run \S+ of p2 success/.test(out.stdout));
    expect(await stopDaemon(daemon)).toBe(0);
    expect(daemon.stdout).not.toContain('waits for a slot');
  });

  test('with --max-tasks 1, a task held back says so in daemon.log, and when it got its slot', async () => {
    const f = fixture();
    // Here one task holds the only slot, so they cannot meet: the first gives up after 4 s and frees it.
    barrierPipelines(f, 4);
    const daemon = startDaemon(f, ['--max-tasks', '1']);
    await daemon.waitFor('the start line', (out) => out.stdout.includes('at most 1 tasks at once'));
    await daemon.waitFor('a wait for a slot', (out) => /run \S+ of p[12]: a task waits for a slot: all 1 of --max-tasks are in use/.test(out.stdout));
    await daemon.waitFor('the slot given', (out) => /run \S+ of p[12]: got a task slot after waiting \S+/.test(out.stdout));
    expect(await stopDaemon(daemon)).toBe(0);
  });
});
