import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { clockPasses, eventually, fixture, type Fixture, type Running } from '../helpers/flow.js';
import { count, runsOf, startDaemon, stopDaemon, type RunJson } from '../helpers/daemon.js';

const pipeline = (catchup: string) => `schedule: "*/2 * * * * *"\ncatchup: ${catchup}\ntasks:\n  a:\n    run: "true"\n`;
const instants = (runs: RunJson[]) => runs.map((run) => Date.parse(run.logical_date));

/** Runs the daemon until a scheduled run has succeeded, stops it, and returns when it had stopped. */
async function firstStart(f: Fixture): Promise<number> {
  const daemon = startDaemon(f);
  await daemon.waitFor('a scheduled run', (out) => /run \S+ of p success/.test(out.stdout));
  expect(await stopDaemon(daemon)).toBe(0);
  return Date.now();
}

/** Ids of the runs the daemon fired with this trigger, from its `fired p (…) for …: run ID, …` lines. */
function fired(out: string, trigger: 'catchup' | 'schedule'): string[] {
  return [...out.matchAll(new RegExp(`fired p \\(${trigger}\\) for \\S+: run (\\S+),`, 'g'))].map((match) => match[1] ?? '');
}

const succeeded = (out: string, id: string) => out.includes(`run ${id} of p success`);

/** How many instants the `catching up p: …` line announced, once it is printed. */
function announced(out: string): number | undefined {
  const match = /catching up p: (\d+) instants? /.exec(out);
  return match === null ? undefined : Number(match[1]);
}

/** Waits for the start-up catch-up: the announced number of catch-up runs, each finished with success. */
async function caughtUp(daemon: Running, what: string): Promise<void> {
  await daemon.waitFor(`${what}: the catching-up line`, (out) => announced(out.stdout) !== undefined);
  await daemon.waitFor(`${what}: every announced catch-up run to succeed`, (out) => {
    const ids = fired(out.stdout, 'catchup');
    return ids.length === announced(out.stdout) && ids.every((id) => succeeded(out.stdout, id));
  });
}

describe('catching up after downtime', () => {
  for (const [policy, label] of [['all', 'every missed instant, oldest first'], ['latest', 'the latest missed instant once']] as const) {
    test(`catchup: ${policy} runs ${label}, and a restart never runs an instant twice`, async () => {
      const f = fixture({ 'pipelines/p.flow.yaml': pipeline(policy) });
      // Down for 5 s: at least two instants of */2 go by unrun. However slow the machine, which ones did is read
      // from the records below, not assumed.
      await clockPasses((await firstStart(f)) + 5_000);
      const second = startDaemon(f);
      await caughtUp(second, 'the second start');
      await second.waitFor('a scheduled run after the catch-up', (out) => fired(out.stdout, 'schedule').some((id) => succeeded(out.stdout, id)));
      expect(await stopDaemon(second)).toBe(0);
      const secondStopped = Date.now();
      const before = (await runsOf(f, 'p')).filter((run) => run.status !== 'running');

      // A third start after more downtime catches up only what it missed itself: nothing already run runs again.
      await clockPasses(secondStopped + 3_000);
      const third = startDaemon(f);
      await caughtUp(third, 'the third start');
      expect(await stopDaemon(third)).toBe(0);
      const after = (await runsOf(f, 'p')).filter((run) => run.status !== 'skipped' && run.status !== 'running');
      const all = instants(after);
      expect(new Set(all).size).toBe(all.length);
      const lastOfSecond = Math.max(...instants(before));
      const thirdCatchups = after.filter((run) => run.trigger === 'catchup' && !before.some((earlier) => earlier.id === run.id));
      expect(thirdCatchups.length).toBeGreaterThanOrEqual(1);
      for (const instant of instants(thirdCatchups)) expect(instant).toBeGreaterThan(lastOfSecond);

      // The second start's catch-up fills exactly the gap between the first daemon's last instant and the second
      // daemon's first scheduled instant (run, or recorded as skipped while the catch-up ran).
      const catchups = before.filter((run) => run.trigger === 'catchup');
      const scheduled = before.filter((run) => run.trigger === 'schedule');
      const lastBefore = Math.max(...instants(scheduled).filter((instant) => instant < (instants(catchups)[0] ?? Infinity)));
      const firstAfter = Math.min(...instants(scheduled).filter((instant) => instant > (instants(catchups).at(-1) ?? 0)));
      const missed = (firstAfter - lastBefore) / 2000 - 1;
      expect(missed).toBeGreaterThanOrEqual(2);
      if (policy === 'all') {
        expect(catchups).toHaveLength(missed);
        expect(instants(catchups)).toEqual(Array.from({ length: missed }, (_, i) => lastBefore + 2000 * (i + 1)));
      } else {
        expect(catchups).toHaveLength(1);
        expect(instants(catchups)[0]).toBe(firstAfter - 2000);
      }
    });
  }

  test('catchup: false (the default, as cron) runs nothing missed and logs it', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'schedule: "*/2 * * * * *"\ntasks:\n  a:\n    run: "true"\n' });
    await clockPasses((await firstStart(f)) + 4_500);
    const second = startDaemon(f);
    await second.waitFor('the missed line', (out) => /missed p: \d+ instants? .* while the daemon was down; not run \(catchup is false, as cron\)/.test(out.stdout));
    expect(await stopDaemon(second)).toBe(0);
    expect((await runsOf(f, 'p')).filter((run) => run.trigger === 'catchup')).toHaveLength(0);
  });

  test('catchup: all survives kill -9 in the middle of a backlog of 10: each instant runs exactly once', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'schedule: "0 0 * * *"\ntimezone: UTC\ncatchup: all\ntasks:\n  a:\n    run: sleep 1\n' });
    // The daemon last handled the instant of ten days ago: ten daily instants are missed (the oldest one second later).
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    const day = 86_400_000;
    const expected = Array.from({ length: 10 }, (_, i) => today.getTime() - (9 - i) * day);
    mkdirSync(f.home, { recursive: true });
    writeFileSync(f.path('.flow-home', 'daemon-state.json'), JSON.stringify({ version: 1, boot_id: null, pipelines: { p: { last_instant: new Date(expected[0] as number - 1000).toISOString() } } }));

    const first = startDaemon(f);
    await first.waitFor('the third catch-up run to start', (out) => count(out.stdout, /fired p \(catchup\)/) >= 3);
    first.signal('SIGKILL');
    await first.exited;

    const second = startDaemon(f);
    await eventually('10 ended runs of p', async () => {
      const runs = await runsOf(f, 'p');
      return new Set(instants(runs)).size >= 10 && runs.every((run) => run.status !== 'running');
    });
    expect(await stopDaemon(second)).toBe(0);
    const runs = await runsOf(f, 'p');
    const all = instants(runs);
    expect(new Set(all).size).toBe(all.length);
    // A test that crosses midnight UTC also sees the new day's instant; the ten missed ones are the subject.
    expect(all.filter((instant) => instant <= (expected.at(-1) as number)).sort((a, b) => a - b)).toEqual(expected);
    expect(runs.filter((run) => run.status === 'success').length).toBeGreaterThanOrEqual(8);
  });
});
