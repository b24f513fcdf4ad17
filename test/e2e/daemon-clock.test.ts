/**
 * Clocks that jump under a running daemon, and a remembered instant from the future, with cronie's rules
 * (src/daemon/clock-jump.ts). The daemon's wall clock is moved by libfaketime; one test uses the real clock only.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture, type Fixture } from '../helpers/flow.js';
import { runsOf, startDaemon, stopDaemon } from '../helpers/daemon.js';
import { fakeClock, libfaketime } from '../helpers/faketime.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const everyTwoSeconds = 'schedule: "*/2 * * * * *"\ntimezone: UTC\ntasks:\n  a:\n    run: "true"\n';

/** A daily fixed-time schedule at the minute of `at` (UTC), and that minute's instant. */
function dailyAt(at: number): { yaml: string; instant: number } {
  const minute = new Date(Math.floor(at / MIN) * MIN);
  return { yaml: `schedule: "${minute.getUTCMinutes()} ${minute.getUTCHours()} * * *"\ntimezone: UTC\ntasks:\n  a:\n    run: "true"\n`, instant: minute.getTime() };
}

interface PipelineStatus {
  name: string;
  next: string | null;
}

async function nextOf(f: Fixture): Promise<Record<string, number>> {
  const result = await f.flow(['status', '--json']);
  const status = JSON.parse(result.stdout) as { daemon?: { pipelines: PipelineStatus[] } };
  return Object.fromEntries((status.daemon?.pipelines ?? []).map((pipeline) => [pipeline.name, pipeline.next === null ? NaN : Date.parse(pipeline.next)]));
}

/** Waits until `condition` holds for the pipelines' next instants in `flow status`. */
async function untilNext(f: Fixture, what: string, condition: (next: Record<string, number>) => boolean): Promise<void> {
  await eventually(what, async () => condition(await nextOf(f)));
}

function lastInstant(f: Fixture, pipeline: string): number {
  const state = JSON.parse(readFileSync(f.path('.flow-home', 'daemon-state.json'), 'utf8')) as { pipelines: Record<string, { last_instant: string }> };
  return Date.parse(state.pipelines[pipeline]?.last_instant ?? '');
}

/** After the future-instant warning: the daemon fires from now, and the instant it fired is now's, not tomorrow's. */
async function expectFiresFromNow(f: Fixture): Promise<void> {
  const daemon = startDaemon(f);
  await daemon.waitFor('the warning', (out) => /warning: daemon-state\.json remembers instants later than now for p \(\S+\): the clock was ahead then, or has been set back; not trusted: scheduling from now/.test(out.stdout));
  await daemon.waitFor('a run fired from now', (out) => /run \S+ of p success/.test(out.stdout.slice(out.stdout.indexOf('warning:'))));
  expect(await stopDaemon(daemon)).toBe(0);
  const fromNow = (await runsOf(f, 'p')).filter((run) => Math.abs(Date.parse(run.logical_date) - Date.now()) < 10 * MIN);
  expect(fromNow.length).toBeGreaterThan(0);
  expect(lastInstant(f, 'p')).toBeLessThan(Date.now() + MIN);
}

describe('a remembered instant from the future is not trusted', () => {
  test('real clock: a daemon-state.json a day ahead gives a warning and runs from now', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': everyTwoSeconds });
    mkdirSync(f.home, { recursive: true });
    writeFileSync(f.path('.flow-home', 'daemon-state.json'), JSON.stringify({ version: 1, boot_id: null, pipelines: { p: { last_instant: new Date(Date.now() + 24 * HOUR).toISOString() } } }));
    await expectFiresFromNow(f);
  });

  test('fake clock: a daemon that ran a day ahead (a bad RTC), restarted on the right clock, fires from now', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': everyTwoSeconds });
    const ahead = startDaemon(f, [], { env: fakeClock(f.path('clock'), '+1d').env });
    await ahead.waitFor('a run a day ahead', (out) => /run \S+ of p success/.test(out.stdout));
    expect(await stopDaemon(ahead)).toBe(0);
    expect(lastInstant(f, 'p')).toBeGreaterThan(Date.now() + 20 * HOUR);
    await expectFiresFromNow(f);
  });
});

describe("a clock that jumps under a running daemon follows cronie's rules", () => {
  test('forward an hour, back two, back five more', async () => {
    libfaketime();
    const t0 = Date.now();
    const ahead = dailyAt(t0 + 30 * MIN);
    const behind = dailyAt(t0 - 30 * MIN);
    const f = fixture({ 'pipelines/w.flow.yaml': everyTwoSeconds, 'pipelines/ahead.flow.yaml': ahead.yaml, 'pipelines/behind.flow.yaml': behind.yaml });
    const clock = fakeClock(f.path('clock'));
    const daemon = startDaemon(f, [], { env: clock.env });
    await daemon.waitFor('a run of w', (out) => /run \S+ of w success/.test(out.stdout));

    // Forward an hour: the fixed-time instant skipped runs at once; the wildcard pipeline's skipped instants are missed.
    clock.set('+1h');
    await daemon.waitFor('the jump forward', (out) => /the clock jumped forward by \S+ \(a step or a suspend\): as cron, fixed-time pipelines run each instant skipped/.test(out.stdout));
    await daemon.waitFor('the skipped fixed-time instant', (out) => new RegExp(`fired ahead \\(schedule\\) for ${new Date(ahead.instant).toISOString().slice(0, 16)}`).test(out.stdout));
    await daemon.waitFor('the missed wildcard instants', (out) => /missed w: \d+ instants .* while the clock jumped forward by \S+; not run \(catchup is false, as cron\)/.test(out.stdout));

    // Back two hours (to an hour before real time): the wildcard pipeline keeps firing; fixed-time ones wait.
    clock.set('-1h');
    await daemon.waitFor('the step back', (out) => /the clock was set back by \S+: as cron, wildcard pipelines fire from the new time/.test(out.stdout));
    // History orders runs by their start, which the set-back clock put first; the logical dates tell.
    await eventually('two runs of w on the set-back clock', async () => (await runsOf(f, 'w')).filter((run) => Date.parse(run.logical_date) < t0 && run.status === 'success').length >= 2);
    await untilNext(f, 'fixed-time pipelines to wait for the clock to pass the latest time seen', (next) => (next.ahead ?? 0) > t0 + 12 * HOUR && (next.behind ?? 0) > t0 + 12 * HOUR);
    expect((await runsOf(f, 'ahead')).length).toBe(1);

    // Five more hours back: six behind the latest time seen, more than three: everything from the new time.
    clock.set('-5h');
    await daemon.waitFor('the large step back', (out) => /the clock was set back by \S+, more than 3 hours: as cron, every pipeline is scheduled afresh from the new time/.test(out.stdout));
    await untilNext(f, 'every pipeline scheduled from the new time', (next) => next.behind === behind.instant && next.ahead === ahead.instant);
    expect(await stopDaemon(daemon)).toBe(0);
  });
});
