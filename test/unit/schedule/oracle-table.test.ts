/**
 * The table test: every case's fire times from src/schedule must equal the oracle's (test/helpers/cron-oracle.ts),
 * which replays cronie's daemon loop tick by tick. Each case is also asked for its next fire time from a few
 * instants inside the window, some of them in a skipped or repeated hour.
 */
import { describe, expect, it } from 'vitest';
import { fireTimesBetween, nextFireTime, nextFireTimes, parseSchedule } from '../../../src/schedule/index.js';
import { tableCases } from '../../helpers/cron-cases.js';
import { oracleFireTimes } from '../../helpers/cron-oracle.js';

const cases = tableCases();
const iso = (dates: Date[]): string[] => dates.map((date) => date.toISOString());

describe('schedules agree with the cronie oracle', () => {
  it('has at least 150 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  it.each(cases.map((c) => [`${c.expression} | ${c.zone} | ${c.label}`, c] as const))('%s', (_name, c) => {
    const from = new Date(c.from);
    const to = new Date(c.to);
    const expected = oracleFireTimes(c.expression, c.zone, from, to);
    const schedule = parseSchedule(c.expression);
    expect(iso(fireTimesBetween(schedule, c.zone, from, to, 1_000_000))).toEqual(iso(expected));

    // nextFireTime from instants spread over the window (odd offsets, so they rarely sit on a fire time).
    const span = to.getTime() - from.getTime();
    for (let probe = 1; probe <= 9; probe++) {
      const after = new Date(from.getTime() + Math.floor((span * probe) / 10) + 7_000 * probe);
      const want = expected.find((date) => date > after);
      if (want === undefined) continue;
      expect(nextFireTime(schedule, c.zone, after)?.toISOString(), `next after ${after.toISOString()}`).toBe(want.toISOString());
    }
    if (expected.length > 0) {
      const first = nextFireTimes(schedule, c.zone, from, Math.min(expected.length, 50));
      expect(iso(first)).toEqual(iso(expected.slice(0, 50)));
    }
  });
});
