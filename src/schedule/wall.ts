/**
 * Matching on the wall clock alone, before any time zone: the first local date-time at or after a given one whose
 * fields all match, found by skipping whole months, days, hours and minutes that cannot match, never by stepping
 * minute by minute. Times are wall-clock seconds (see calendar.ts).
 */
import { civilDate, dayNumber, daysInMonth, SECONDS_PER_DAY, weekday } from './calendar.js';
import type { Schedule } from './schedule.js';
import { dayMatches, tablesFor } from './tables.js';

/** The calendar repeats every 400 years: a day no 400 years hold is never. */
const CYCLE_YEARS = 400;
/** JavaScript dates end in the year 275760. */
const LAST_YEAR = 275_000;

/** The first matching wall-clock second ≥ `from`, or undefined when there is none. */
export function nextWallMatch(schedule: Schedule, from: number): number | undefined {
  if (schedule.reboot) return undefined;
  const tables = tablesFor(schedule);
  const days = Math.floor(from / SECONDS_PER_DAY);
  const within = from - days * SECONDS_PER_DAY;
  let { year, month, day } = civilDate(days);
  let hour = Math.floor(within / 3600);
  let minute = Math.floor((within % 3600) / 60);
  let second = within % 60;
  const lastYear = Math.min(year + CYCLE_YEARS, LAST_YEAR);

  // Each step either returns or moves forward to the start of the next unit that might match. An index past the
  // end of a table (hour 24, minute 60) reads as "none left", which carries into the next larger unit.
  while (year <= lastYear) {
    if (tables.month[month] !== 1 || day > daysInMonth(year, month)) {
      month += 1;
      if (month > 12) {
        month = 1;
        year += 1;
      }
      day = 1;
      hour = minute = second = 0;
      continue;
    }
    const nextHour = hour < 24 ? (tables.nextHour[hour] ?? -1) : -1;
    if (nextHour < 0 || !dayMatches(tables, day, weekday(dayNumber(year, month, day)))) {
      day += 1;
      hour = minute = second = 0;
      continue;
    }
    if (nextHour !== hour) {
      hour = nextHour;
      minute = second = 0;
    }
    const nextMinute = minute < 60 ? (tables.nextMinute[minute] ?? -1) : -1;
    if (nextMinute < 0) {
      hour += 1;
      minute = second = 0;
      continue;
    }
    if (nextMinute !== minute) {
      minute = nextMinute;
      second = 0;
    }
    const nextSecond = second < 60 ? (tables.nextSecond[second] ?? -1) : -1;
    if (nextSecond < 0) {
      minute += 1;
      second = 0;
      continue;
    }
    return dayNumber(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + nextSecond;
  }
  return undefined;
}
