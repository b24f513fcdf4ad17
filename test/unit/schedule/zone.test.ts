/** Offsets and their changes, read from ICU, and local times typed by people. */
import { describe, expect, it } from 'vitest';
import { ScheduleError, instantOfLocal } from '../../../src/schedule/index.js';
import { offsetAt, transitionsBetween } from '../../../src/schedule/zone.js';

const seconds = (iso: string): number => new Date(iso).getTime() / 1000;
const year2026: [number, number] = [seconds('2026-01-01T00:00:00Z'), seconds('2027-01-01T00:00:00Z')];

describe('zone offsets', () => {
  it.each([
    ['America/New_York', [['2026-03-08T07:00:00Z', -5, -4], ['2026-11-01T06:00:00Z', -4, -5]]],
    ['Europe/London', [['2026-03-29T01:00:00Z', 0, 1], ['2026-10-25T01:00:00Z', 1, 0]]],
    ['Australia/Lord_Howe', [['2026-04-04T15:00:00Z', 11, 10.5], ['2026-10-03T15:30:00Z', 10.5, 11]]],
    ['Asia/Kolkata', []],
    ['UTC', []],
  ] as const)('%s changes in 2026', (zone, changes) => {
    expect(transitionsBetween(zone, ...year2026)).toEqual(
      changes.map(([at, before, after]) => ({ at: seconds(at), before: before * 3600, after: after * 3600 })),
    );
  });

  it('reads the offset in force at an instant, to the second', () => {
    expect(offsetAt('America/New_York', seconds('2026-03-08T06:59:59Z'))).toBe(-5 * 3600);
    expect(offsetAt('America/New_York', seconds('2026-03-08T07:00:00Z'))).toBe(-4 * 3600);
    expect(offsetAt('Asia/Kolkata', seconds('2026-06-01T00:00:00Z'))).toBe(5.5 * 3600);
    expect(offsetAt('America/New_York', seconds('1880-01-01T00:00:00Z'))).toBe(-(4 * 3600 + 56 * 60 + 2)); // local mean time
  });

  it('finds a change that is not daylight saving: Samoa skipped 2011-12-30 (a jump of a whole day)', () => {
    const apia = transitionsBetween('Pacific/Apia', seconds('2011-12-01T00:00:00Z'), seconds('2012-02-01T00:00:00Z'));
    expect(apia).toEqual([{ at: seconds('2011-12-30T10:00:00Z'), before: -10 * 3600, after: 14 * 3600 }]);
  });

  it('refuses an unknown zone with a ScheduleError', () => {
    expect(() => offsetAt('Mars/Olympus_Mons', 0)).toThrow(ScheduleError);
    expect(() => offsetAt('Mars/Olympus_Mons', 0)).toThrow('timezone: unknown time zone "Mars/Olympus_Mons" (use an IANA name such as Europe/Berlin or UTC)');
  });
});

describe('instantOfLocal', () => {
  const NY = 'America/New_York';
  it.each([
    ['an ordinary time', { year: 2026, month: 6, day: 1, hour: 12 }, '2026-06-01T16:00:00.000Z'],
    ['a date alone is its midnight', { year: 2026, month: 1, day: 15 }, '2026-01-15T05:00:00.000Z'],
    ['a time in the spring gap moves to its end', { year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, '2026-03-08T07:00:00.000Z'],
    ['a repeated time is its first occurrence', { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, '2026-11-01T05:30:00.000Z'],
  ])('%s', (_what, local, expected) => {
    expect(instantOfLocal(NY, local).toISOString()).toBe(expected);
  });

  it('works for half-hour zones', () => {
    expect(instantOfLocal('Australia/Lord_Howe', { year: 2026, month: 10, day: 4, hour: 2, minute: 15 }).toISOString()).toBe('2026-10-03T15:30:00.000Z');
    expect(instantOfLocal('Asia/Kolkata', { year: 2026, month: 1, day: 1 }).toISOString()).toBe('2025-12-31T18:30:00.000Z');
  });
});
