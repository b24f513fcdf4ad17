/**
 * Calendar arithmetic on day numbers (days since 1970-01-01 in the proleptic Gregorian calendar) and on wall-clock
 * seconds (seconds since 1970-01-01T00:00 on the local wall clock, the "virtual time" of cron.c, in seconds).
 */
export const SECONDS_PER_DAY = 86_400;

export interface CivilDate {
  year: number;
  /** 1-12. */
  month: number;
  /** 1-31. */
  day: number;
}

export function dayNumber(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / 86_400_000);
}

export function civilDate(days: number): CivilDate {
  const date = new Date(days * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 is Sunday, as cron's tm_wday; day 0 (1970-01-01) was a Thursday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

/** The longest a month ever is: February counts 29 days. */
export function maxDaysInMonth(month: number): number {
  return month === 2 ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}
