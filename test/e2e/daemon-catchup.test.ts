import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { count, runsOf, startDaemon, stopDaemon, type RunJson } from '../helpers/daemon.js';

const pipeline = (catchup: string) => `schedule: "*/2 * * * * *"\ncatchup: ${catchup}\ntasks:\n  a:\n    run: "true"\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const instants = (runs: RunJson[]) => runs.map((run) => Date.parse(run.logical_date));

/** Polls history (through the built binary) until `condition` holds, or fails naming it. */
async function untilHistory(what: string, condition: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

async function firstStart(f: ReturnType<typeof fixture>): Promise<void> {
  const daemon = startDaemon(f);
  await daemon.waitFor('a scheduled run', (out) => /run \S+ of p success/.test(out.stdout), 20_000);
  expect(await stopDaemon(daemon)).toBe(0);
}

describe('catching up after downtime', () => {
  for (const [policy, label] of [['all', 'every missed instant, oldest first'], ['latest', 'the latest missed instant once']] as const) {
    test(`catchup: ${policy} runs ${label}, and a restart never runs an instant twice`, async () => {
      const f = fixture({ 'pipelines/p.flow.yaml': pipeline(policy) });
      await firstStart(f);
      await sleep(5_000);
      const second = startDaemon(f);
      await second.waitFor('the catch-up', (out) => /run \S+ of p success/.test(out.stdout) && out.stdout.includes('catching up p'), 20_000);
      await second.waitFor('a scheduled run after it', (out) => count(out.stdout, /fired p \(schedule\)/) >= 1 && count(out.stdout, /of p success/) >= 2, 20_000);
      expect(await stopDaemon(second)).toBe(0);

      const third = startDaemon(f);
      await third.waitFor('the third start', (out) => /started: 1 scheduled/.test(out.stdout), 15_000);
      await sleep(300);
      expect(await stopDaemon(third)).toBe(0);

      const runs = (await runsOf(f, 'p')).filter((run) => run.status !== 'skipped' && run.status !== 'running');
      const all = instants(runs);
      expect(new Set(all).size).toBe(all.length);
      const catchups = runs.filter((run) => run.trigger === 'catchup');
      const scheduled = runs.filter((run) => run.trigger === 'schedule');
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
    }, 60_000);
  }

  test('catchup: false (the default, as cron) runs nothing missed and logs it', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': 'schedule: "*/2 * * * * *"\ntasks:\n  a:\n    run: "true"\n' });
    await firstStart(f);
    await sleep(4_500);
    const second = startDaemon(f);
    await second.waitFor('the missed line', (out) => /missed p: \d+ instants? .* while the daemon was down; not run \(catchup is false, as cron\)/.test(out.stdout), 15_000);
    expect(await stopDaemon(second)).toBe(0);
    expect((await runsOf(f, 'p')).filter((run) => run.trigger === 'catchup')).toHaveLength(0);
  }, 60_000);

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
    await first.waitFor('the third catch-up run to start', (out) => count(out.stdout, /fired p \(catchup\)/) >= 3, 40_000);
    first.signal('SIGKILL');
    await first.exited;

    const second = startDaemon(f);
    await untilHistory('10 ended runs of p', async () => {
      const runs = await runsOf(f, 'p');
      return new Set(instants(runs)).size >= 10 && runs.every((run) => run.status !== 'running');
    });
    expect(await stopDaemon(second)).toBe(0);
    const runs = await runsOf(f, 'p');
    expect(instants(runs).sort((a, b) => a - b)).toEqual(expected);
    expect(runs.filter((run) => run.status === 'success').length).toBeGreaterThanOrEqual(8);
  }, 150_000);
});
