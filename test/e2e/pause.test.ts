import { describe, expect, test } from 'vitest';
import { eventually, fixture } from '../helpers/flow.js';
import { apiReady } from '../helpers/api.js';
import { count, runsOf, startDaemon, stopDaemon, type RunJson } from '../helpers/daemon.js';

const TICK = (extra = '') => `schedule: "* * * * * *"\n${extra}tasks:\n  a:\n    run: echo "$FLOW_LOGICAL_DATE" >> ../ran\n`;
const pausedRuns = (runs: RunJson[]): RunJson[] => runs.filter((run) => run.status === 'skipped' && run.reason === 'paused');

describe('flow pause / unpause', () => {
  test('a pause set with no daemon holds across restarts; each instant is recorded once as skipped (paused)', async () => {
    const f = fixture({ 'pipelines/tick.flow.yaml': TICK() });
    const paused = await f.flow(['pause', 'tick']);
    expect(paused.stderr).toBe('');
    expect(paused.stdout).toMatch(/^tick is paused \(since \S+\): its scheduled instants are recorded as skipped until `flow unpause tick`\n$/);
    const list = JSON.parse((await f.flow(['list', '--json'])).stdout) as { name: string; paused: boolean }[];
    expect(list.find((entry) => entry.name === 'tick')?.paused).toBe(true);
    expect((await f.flow(['list'])).stdout).toMatch(/tick .* paused /);

    let daemon = startDaemon(f);
    await daemon.waitFor('two paused instants', (out) => count(out.stdout, /skipped tick for \S+: paused/) >= 2);
    expect(await stopDaemon(daemon)).toBe(0);
    const before = pausedRuns(await runsOf(f, 'tick')).length;
    daemon = startDaemon(f);
    await apiReady(daemon);
    await eventually('paused instants after the restart', () => count(daemon.stdout, /skipped tick for \S+: paused/) >= 2);
    const status = JSON.parse((await f.flow(['status', '--json'])).stdout) as { paused: string[] };
    expect(status.paused).toEqual(['tick']);
    expect(await stopDaemon(daemon)).toBe(0);
    const runs = await runsOf(f, 'tick');
    expect(runs.every((run) => run.status === 'skipped' && run.reason === 'paused')).toBe(true);
    expect(pausedRuns(runs).length).toBeGreaterThan(before);
    const instants = runs.map((run) => run.logical_date);
    expect(new Set(instants).size).toBe(instants.length);

    const ran = await f.flow(['run', 'tick']);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toMatch(/^flow: tick is paused; running it anyway, as asked/);
  });

  test('unpause with catchup: latest runs exactly one of the instants missed while paused', async () => {
    const f = fixture({ 'pipelines/tick.flow.yaml': TICK('catchup: latest\n') });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    await daemon.waitFor('a scheduled run', (out) => /run \S+ of tick success/.test(out.stdout));
    expect((await f.flow(['pause', 'tick'])).code).toBe(0);
    await daemon.waitFor('three paused instants', (out) => count(out.stdout, /skipped tick for \S+: paused/) >= 3);
    const unpaused = await f.flow(['unpause', 'tick', '--json']);
    expect(unpaused.code).toBe(0);
    const view = JSON.parse(unpaused.stdout) as { paused: boolean; catchup: string[] };
    expect(view.paused).toBe(false);
    expect(view.catchup).toHaveLength(1);
    await eventually('the catch-up run', () => /fired tick \(catchup\)/.test(daemon.stdout));
    await daemon.waitFor('a scheduled run after the unpause', (out) => /fired tick \(schedule\)/.test(out.stdout.split(/unpaused tick/)[1] ?? ''));
    expect(await stopDaemon(daemon)).toBe(0);
    const runs = await runsOf(f, 'tick');
    const catchups = runs.filter((run) => run.trigger === 'catchup');
    expect(catchups).toHaveLength(1);
    const lastPaused = pausedRuns(runs).at(-1);
    expect(Date.parse(catchups[0]?.logical_date ?? '')).toBeGreaterThanOrEqual(Date.parse(lastPaused?.logical_date ?? ''));
    expect(Date.parse(view.catchup[0] ?? '')).toBe(Date.parse(catchups[0]?.logical_date ?? ''));
  });
});
