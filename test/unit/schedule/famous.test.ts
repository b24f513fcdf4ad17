/**
 * The cases from the issue, written out by hand, and checked against both src/schedule and the oracle (so the
 * oracle the table test trusts is itself pinned to known answers).
 */
import { describe, expect, it } from 'vitest';
import { canFire, checkSchedule, fireTimesBetween, nextFireTime, parseSchedule } from '../../../src/schedule/index.js';
import { oracleFireTimes } from '../../helpers/cron-oracle.js';

const NY = 'America/New_York';

function both(expression: string, zone: string, from: string, to: string): string[] {
  const module = fireTimesBetween(parseSchedule(expression), zone, new Date(from), new Date(to)).map((date) => date.toISOString());
  const oracle = oracleFireTimes(expression, zone, new Date(from), new Date(to)).map((date) => date.toISOString());
  expect(module).toEqual(oracle);
  return module;
}

describe('the famous cases', () => {
  it('New York spring forward: a fixed-time job in the gap runs right after it, at 03:00 EDT', () => {
    expect(both('30 2 * * *', NY, '2026-03-07T12:00:00-05:00', '2026-03-09T12:00:00-04:00')).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT, not 03:30
      '2026-03-09T06:30:00.000Z',
    ]);
    expect(nextFireTime(parseSchedule('30 2 * * *'), NY, new Date('2026-03-08T00:00:00-05:00'))?.toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });

  it('New York spring forward: a wildcard job loses the skipped 02:00', () => {
    expect(both('0 */2 * * *', NY, '2026-03-07T23:00:00-05:00', '2026-03-08T06:00:00-04:00')).toEqual([
      '2026-03-08T05:00:00.000Z', // 00:00 EST
      '2026-03-08T08:00:00.000Z', // 04:00 EDT
      '2026-03-08T10:00:00.000Z', // 06:00 EDT
    ]);
  });

  it('New York fall back: a wildcard job runs in both 01:xx hours, six times', () => {
    expect(both('*/20 1 * * *', NY, '2026-11-01T00:00:00-04:00', '2026-11-01T03:00:00-05:00')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:20:00.000Z',
      '2026-11-01T05:40:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:20:00.000Z',
      '2026-11-01T06:40:00.000Z',
    ]);
  });

  it('New York fall back: a fixed-time job runs once, in the first pass', () => {
    expect(both('30 1 * * *', NY, '2026-10-31T12:00:00-04:00', '2026-11-01T12:00:00-05:00')).toEqual(['2026-11-01T05:30:00.000Z']);
    // Asked from inside the second pass, the next run is the next day's.
    expect(nextFireTime(parseSchedule('30 1 * * *'), NY, new Date('2026-11-01T01:10:00-05:00'))?.toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });

  it('day-of-month */2 with a day of the week means odd days that are Mondays (both must match)', () => {
    expect(both('0 0 */2 * mon', 'UTC', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([
      '2026-01-05T00:00:00.000Z',
      '2026-01-19T00:00:00.000Z',
      '2026-02-09T00:00:00.000Z',
      '2026-02-23T00:00:00.000Z',
    ]);
  });

  it('a restricted day-of-month and day-of-week means either (crontab(5): "30 4 1,15 * 5")', () => {
    const times = both('30 4 1,15 * 5', 'UTC', '2026-01-01T00:00:00Z', '2026-01-20T00:00:00Z');
    expect(times).toEqual(['2026-01-01T04:30:00.000Z', '2026-01-02T04:30:00.000Z', '2026-01-09T04:30:00.000Z', '2026-01-15T04:30:00.000Z', '2026-01-16T04:30:00.000Z']);
  });

  it('0 6 * * 0,7 is Sunday once, not a "duplicate values" error', () => {
    expect(checkSchedule('0 6 * * 0,7')).toBeUndefined();
    expect(both('0 6 * * 0,7', 'UTC', '2026-01-01T00:00:00Z', '2026-01-20T00:00:00Z')).toEqual([
      '2026-01-04T06:00:00.000Z',
      '2026-01-11T06:00:00.000Z',
      '2026-01-18T06:00:00.000Z',
    ]);
  });

  it('@midnight is @daily', () => {
    expect(parseSchedule('@midnight')).toMatchObject({ kind: 'fixed', hours: [0], minutes: [0] });
    expect(both('@midnight', 'Asia/Kolkata', '2026-01-01T00:00:00+05:30', '2026-01-03T00:00:00+05:30')).toEqual([
      '2026-01-01T18:30:00.000Z',
      '2026-01-02T18:30:00.000Z',
    ]);
  });

  it('0 0 30 2 * loads and never fires', () => {
    const schedule = parseSchedule('0 0 30 2 *');
    expect(canFire(schedule)).toBe(false);
    expect(nextFireTime(schedule, 'UTC', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(checkSchedule('0 0 30 2 *')).toBe('"0 0 30 2 *" never fires (there is no February 30)');
    expect(both('0 0 30 2 *', 'UTC', '2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z')).toEqual([]);
  });

  it('Lord Howe (half-hour daylight saving): a fixed-time job in the gap runs at 02:30 LHDT, once', () => {
    expect(both('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T00:00:00+10:30', '2026-10-05T12:00:00+11:00')).toEqual([
      '2026-10-02T15:45:00.000Z', // 02:15 LHST
      '2026-10-03T15:30:00.000Z', // 02:30 LHDT, right after the gap
      '2026-10-04T15:15:00.000Z', // 02:15 LHDT
    ]);
  });

  it('several skipped matches of a fixed-time job make one run', () => {
    expect(both('0,15,30,45 2 * * *', NY, '2026-03-08T00:00:00-05:00', '2026-03-08T12:00:00-04:00')).toEqual(['2026-03-08T07:00:00.000Z']);
    expect(both('*/15 30 2 * * *', NY, '2026-03-08T00:00:00-05:00', '2026-03-08T12:00:00-04:00')).toEqual(['2026-03-08T07:00:00.000Z']);
  });

  it('@hourly is a wildcard job (HR_STAR): it loses 02:00 and runs in both 01:00s', () => {
    expect(both('@hourly', NY, '2026-03-08T00:30:00-05:00', '2026-03-08T04:30:00-04:00')).toEqual([
      '2026-03-08T06:00:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
    ]);
    expect(both('@hourly', NY, '2026-11-01T00:30:00-04:00', '2026-11-01T02:30:00-05:00')).toEqual([
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });
});
