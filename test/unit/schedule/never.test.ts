/** Schedules that can never fire, found without iterating, and the message validation shows for them. */
import { describe, expect, it } from 'vitest';
import { canFire, checkSchedule, nextFireTime, nextFireTimes, parseSchedule } from '../../../src/schedule/index.js';
import { bestCpuMs } from '../../helpers/cpu.js';

describe('canFire', () => {
  it.each([
    ['0 0 30 2 *', 'there is no February 30'],
    ['0 0 30,31 2 *', 'there is no February 30 or 31'],
    ['0 0 31 4,6,9,11 *', 'April, June, September and November have no day 31'],
    ['0 0 30 2 */2', 'there is no February 30'], // both day fields must match: the weekday cannot help
    ['*/10 0 0 31 apr *', 'there is no April 31'],
  ])('%s never fires (%s)', (expression, why) => {
    const schedule = parseSchedule(expression);
    expect(canFire(schedule)).toBe(false);
    expect(checkSchedule(expression)).toBe(`"${expression}" never fires (${why})`);
    expect(nextFireTimes(schedule, 'UTC', new Date('2026-01-01T00:00:00Z'), 5)).toEqual([]);
  });

  it.each([
    '0 0 29 2 *', // leap years
    '0 0 29 2 */7', // Feb 29 that is a Sunday: 2032
    '0 0 30,31 2 mon', // either day field will do: Mondays in February
    '0 0 30 2 mon',
    '0 0 31 * *',
    '@reboot', // runs when the daemon starts
    '@yearly',
  ])('%s can fire', (expression) => {
    expect(canFire(parseSchedule(expression))).toBe(true);
    expect(checkSchedule(expression)).toBeUndefined();
  });

  it('@reboot has no fire times', () => {
    expect(nextFireTime(parseSchedule('@reboot'), 'UTC', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('answers at once, without looking for a fire time', () => {
    const schedule = parseSchedule('* * 31 2 *');
    const after = new Date('2026-01-01T00:00:00Z');
    const results = new Set<Date | undefined>();
    // CPU time, which a loaded machine does not inflate: a search would cost far more than 0.1 ms a call.
    const ms = bestCpuMs(() => {
      for (let n = 0; n < 1_000; n++) results.add(nextFireTime(schedule, 'UTC', after));
    });
    expect(ms / 1_000).toBeLessThan(0.1);
    expect([...results]).toEqual([undefined]);
  });
});
