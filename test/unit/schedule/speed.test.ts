/**
 * The daemon asks for the next fire time on every wake-up: it must take well under a millisecond, whatever the
 * expression, and a rare schedule must be found by skipping, not by walking minute by minute. Measured in CPU time
 * (best of three), which a loaded machine does not inflate, against bounds 100 times the usual cost: these guard
 * the algorithm; the speed itself is a figure of `npm run bench` (schedule).
 */
import { describe, expect, it } from 'vitest';
import { nextFireTime, parseSchedule } from '../../../src/schedule/index.js';
import { bestCpuMs } from '../../helpers/cpu.js';

const EXPRESSIONS = ['* * * * *', '*/10 * * * * *', '30 2 * * *', '0 */2 * * *', '0 9 * * mon-fri', '0 0 1 * *', '@yearly', '0 0 13 * fri', '0 0 */2 * mon', '0 12 31 * *'];
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe'];

describe('speed', () => {
  it('next fire time: well under a millisecond on average', () => {
    const schedules = EXPRESSIONS.map(parseSchedule);
    const start = new Date('2026-01-01T00:00:00Z').getTime();
    // Warm up: the zone tables for 2026-2027 are built once per process.
    for (const zone of ZONES) for (const schedule of schedules) nextFireTime(schedule, zone, new Date(start));
    const calls = 400 * ZONES.length * schedules.length;
    const ms = bestCpuMs(() => {
      for (let step = 0; step < 400; step++) {
        const after = new Date(start + step * 21_601_000);
        for (const zone of ZONES) for (const schedule of schedules) nextFireTime(schedule, zone, after);
      }
    });
    expect(ms / calls).toBeLessThan(0.5);
  });

  it('a schedule that fires once in decades is found at once', () => {
    const schedule = parseSchedule('0 0 29 2 */7'); // February 29 that is a Sunday
    nextFireTime(schedule, 'UTC', new Date('2030-01-01T00:00:00Z'));
    expect(nextFireTime(schedule, 'UTC', new Date('2033-01-01T00:00:00Z'))?.toISOString()).toBe('2060-02-29T00:00:00.000Z');
    expect(bestCpuMs(() => nextFireTime(schedule, 'UTC', new Date('2033-01-01T00:00:00Z')))).toBeLessThan(50);
  });
});
