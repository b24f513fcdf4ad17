import { describe, expect, test } from 'vitest';
import { parseDate } from '../../../src/backfill/dates.js';
import { FlowError } from '../../../src/errors.js';

const iso = (date: Date) => date.toISOString();

describe('parseDate', () => {
  test('a day is that whole day in the zone, through its last millisecond', () => {
    const winter = parseDate('2026-03-26', 'Europe/Berlin', '--from');
    expect([iso(winter.start), iso(winter.end), winter.day]).toEqual(['2026-03-25T23:00:00.000Z', '2026-03-26T22:59:59.999Z', true]);
    // The day the clocks spring forward has 23 hours.
    const spring = parseDate('2026-03-29', 'Europe/Berlin', '--to');
    expect([iso(spring.start), iso(spring.end)]).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T21:59:59.999Z']);
    // Where midnight itself is skipped (Santiago springs forward at 24:00), the day starts when the clocks resume.
    expect(iso(parseDate('2026-09-06', 'America/Santiago', '--from').start)).toBe('2026-09-06T04:00:00.000Z');
    const newYear = parseDate('2026-12-31', 'UTC', '--to');
    expect(iso(newYear.end)).toBe('2026-12-31T23:59:59.999Z');
  });

  test('an instant with an offset or Z is that instant; without one, a wall-clock time in the zone', () => {
    expect(iso(parseDate('2026-03-26T02:00:00Z', 'Europe/Berlin', '--date').start)).toBe('2026-03-26T02:00:00.000Z');
    expect(iso(parseDate('2026-03-26T03:00:00+01:00', 'UTC', '--date').start)).toBe('2026-03-26T02:00:00.000Z');
    expect(iso(parseDate('2026-03-26T03:00:00.250-0530', 'UTC', '--date').start)).toBe('2026-03-26T08:30:00.250Z');
    expect(iso(parseDate('2026-03-30 03:00', 'Europe/Berlin', '--date').start)).toBe('2026-03-30T01:00:00.000Z');
    // 02:30 does not happen in Berlin on 29 March 2026: the end of the gap.
    expect(iso(parseDate('2026-03-29T02:30', 'Europe/Berlin', '--date').start)).toBe('2026-03-29T01:00:00.000Z');
    const at = parseDate('2026-03-26T02:00Z', 'UTC', '--to');
    expect(at.start).toEqual(at.end);
    expect(at.day).toBe(false);
  });

  test.each(['2026-02-30', '2026-13-01', 'yesterday', '7d', '2026-03-26T25:00', '2026-03-26Z', ''])('refuses %j, naming the option', (text) => {
    expect(() => parseDate(text, 'UTC', '--from')).toThrow(FlowError);
    expect(() => parseDate(text, 'UTC', '--from')).toThrow(`--from: "${text}" is not a date`);
  });
});
