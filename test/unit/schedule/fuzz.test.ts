/**
 * Fuzz: 10,000 inputs (random strings and random valid expressions) through every entry point. The only error
 * allowed is a ScheduleError for what was written, valid expressions must parse, and no call may cost 100 ms of
 * CPU time (which, unlike wall time, a loaded machine does not inflate; `npm run bench` times the slowest call).
 * A sample of the valid ones is also checked against the cronie oracle around the 2026 changes of offset.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ScheduleError,
  canFire,
  checkSchedule,
  fireTimesBetween,
  nextFireTimes,
  parseSchedule,
  type Schedule,
} from '../../../src/schedule/index.js';
import { measured } from '../../helpers/cpu.js';
import { oracleFireTimes } from '../../helpers/cron-oracle.js';
import { int, pick, randomExpression, randomString, seeded, type Random } from '../../helpers/cron-random.js';

const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe'];
const CHANGES = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'];
const CASES = 5_000;
const ORACLE_SAMPLE = 300;

let slowest = { ms: 0, what: '' };
/**
 * Costs a call in CPU time. The functions are pure, so a costly call is measured again: the best of three is the
 * call's own cost, while a garbage-collector pause only shows in one try.
 */
function timed<T>(what: string, call: () => T): T {
  const attempt = (): { value: T } | { error: unknown } => {
    try {
      return { value: call() };
    } catch (error) {
      return { error };
    }
  };
  let { value: outcome, ms: best } = measured(attempt);
  for (let tries = 1; tries < 3 && best > 20; tries++) {
    const again = measured(attempt);
    outcome = again.value;
    best = Math.min(best, again.ms);
  }
  if (best > slowest.ms) slowest = { ms: best, what };
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

function randomInstant(random: Random): Date {
  return new Date(Date.UTC(int(random, 1990, 2060), 0, 1) + Math.floor(random() * 366 * 86_400_000) + int(random, 0, 999));
}

function exercise(schedule: Schedule, random: Random, label: string): void {
  const zone = pick(random, ZONES);
  const after = randomInstant(random);
  timed(`check ${label}`, () => checkSchedule(schedule.expression));
  timed(`canFire ${label}`, () => canFire(schedule));
  const next = timed(`next ${label} ${zone} ${after.toISOString()}`, () => nextFireTimes(schedule, zone, after, 3));
  for (const [index, time] of next.entries()) {
    expect(time.getTime()).toBeGreaterThan(index === 0 ? after.getTime() : (next[index - 1]?.getTime() ?? 0));
  }
  const to = new Date(after.getTime() + int(random, 0, 86_400_000));
  const between = timed(`between ${label} ${zone}`, () => fireTimesBetween(schedule, zone, after, to, 100));
  if (between.length > 0 && next.length > 0) expect(between[0]?.toISOString()).toBe(next[0]?.toISOString());
}

describe('fuzz', () => {
  // Loading ICU's data for a zone and compiling this module are once per process, not per call: do them first.
  beforeAll(() => {
    for (const zone of ZONES) nextFireTimes(parseSchedule('*/7 1-3 * * *'), zone, new Date('2026-01-01T00:00:00Z'), 3);
  });

  it(`random strings: only ScheduleErrors, each call under 100 ms (${CASES} cases)`, () => {
    slowest = { ms: 0, what: '' };
    const random = seeded(20260308);
    let parsed = 0;
    for (let n = 0; n < CASES; n++) {
      const text = randomString(random);
      let schedule: Schedule | undefined;
      try {
        schedule = timed(`parse ${JSON.stringify(text)}`, () => parseSchedule(text));
      } catch (error) {
        expect(error, JSON.stringify(text)).toBeInstanceOf(ScheduleError);
        expect((error as Error).message.length).toBeGreaterThan(0);
        expect(checkSchedule(text)).toBe((error as Error).message);
        continue;
      }
      parsed += 1;
      exercise(schedule, random, JSON.stringify(text));
    }
    expect(parsed).toBeGreaterThan(0);
    expect(slowest.ms, slowest.what).toBeLessThan(100);
  });

  it(`random valid expressions: all parse, each call under 100 ms (${CASES} cases)`, () => {
    slowest = { ms: 0, what: '' };
    const random = seeded(20261101);
    for (let n = 0; n < CASES; n++) {
      const text = randomExpression(random);
      const schedule = timed(`parse ${JSON.stringify(text)}`, () => parseSchedule(text));
      exercise(schedule, random, JSON.stringify(text));
    }
    expect(slowest.ms, slowest.what).toBeLessThan(100);
  });

  it(`random valid expressions agree with the oracle around changes of offset (${ORACLE_SAMPLE} cases)`, () => {
    const random = seeded(20260404);
    for (let n = 0; n < ORACLE_SAMPLE; n++) {
      const text = randomExpression(random);
      const zone = pick(random, ZONES);
      const change = new Date(pick(random, CHANGES)).getTime();
      const seconds = parseSchedule(text).hasSeconds;
      const hours = seconds ? 3 : 30;
      const from = new Date(change - int(random, 0, hours) * 3_600_000 - int(random, 0, 3_599) * 1000);
      const to = new Date(from.getTime() + hours * 3_600_000);
      const want = oracleFireTimes(text, zone, from, to).map((date) => date.toISOString());
      const got = fireTimesBetween(parseSchedule(text), zone, from, to, 1_000_000).map((date) => date.toISOString());
      expect(got, `${text} in ${zone} from ${from.toISOString()}`).toEqual(want);
    }
  });
});
