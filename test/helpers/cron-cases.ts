/**
 * The table of schedules checked against the oracle: expressions by what they exercise, crossed with five zones
 * and windows around both 2026 changes of each zone's offset (zones without daylight saving get the same
 * calendar windows), plus long calendar windows for the rare days.
 */
export interface TableCase {
  expression: string;
  zone: string;
  label: string;
  from: string;
  to: string;
}

export const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe'] as const;

/** Instants (UTC) of the 2026 changes: [first of the year, second of the year]. */
const CHANGES: Record<(typeof ZONES)[number], [string, string]> = {
  UTC: ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'],
  'America/New_York': ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'], // 02:00 EST → 03:00 EDT; 02:00 EDT → 01:00 EST
  'Europe/London': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'], // 01:00 GMT → 02:00 BST; 02:00 BST → 01:00 GMT
  'Asia/Kolkata': ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'],
  'Australia/Lord_Howe': ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z'], // 02:00 → 01:30 (+11 → +10:30); 02:00 → 02:30
};

/** Minute schedules run across each change: fixed-time and wildcard jobs, in and around the skipped and repeated hours. */
const AROUND_CHANGES = [
  '30 2 * * *', // fixed, in New York's gap
  '0 2 * * *',
  '15 1 * * *', // fixed, in New York's and London's repeated hour
  '59 1 * * *',
  '0 3 * * *',
  '45 0-4 * * *', // fixed (no star) across several hours
  '0,30 1-3 * * *',
  '0 1,2,3 * * *',
  '5-59/10 2 * * *',
  '0 */2 * * *', // wildcard (HR_STAR)
  '*/20 1 * * *', // wildcard (MIN_STAR)
  '*/15 * * * *',
  '*/7 * * * *',
  '30 * * * *',
  '30 0-23/2 * * *',
  '0 0-3 * 3,4,10,11 *',
  '0 2 * * sun', // every 2026 change falls on a Sunday
  '*/30 * * * 0,7',
  '@hourly',
  '@daily',
  '@weekly',
  '@midnight',
];

/** The seconds extension across each change, at second resolution (shorter windows). */
const SECONDS_AROUND_CHANGES = ['0 30 2 * * *', '15,45 0 2 * * *', '*/20 * 1 * * *', '0 0,30 * * * *', '*/10 2 * * * *'];

/** Calendar rules, over long windows in two zones: lists, ranges, steps, names, the day rule, rare days, presets. */
const CALENDAR: [expression: string, from: string, to: string][] = [
  ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2033-01-01T00:00:00Z'], // Feb 29: 2028 and 2032
  ['0 0 29 2 mon', '2027-12-01T00:00:00Z', '2028-04-01T00:00:00Z'], // either: Mondays in February, and the 29th
  ['0 0 29 2 */7', '2026-01-01T00:00:00Z', '2033-01-01T00:00:00Z'], // both: Feb 29 on a Sunday (2032)
  ['0 12 31 * *', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'], // day 31: seven months a year
  ['0 0 31 */2 *', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['0 0 31 2,4 *', '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z'], // never
  ['0 0 30 2 *', '2026-01-01T00:00:00Z', '2029-01-01T00:00:00Z'], // never
  ['0 9 1-7 * mon', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'], // either
  ['0 9 */7 * mon', '2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'], // both (DOM_STAR)
  ['0 9 1-7 * *', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'],
  ['0 0 1,15 * 5', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'], // crontab(5)'s example
  ['0 0 *,15 * mon', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'], // starts with *: both
  ['0 0 15,* * mon', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], // does not: either, so every day
  ['0 0 * * */2', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], // Sun Tue Thu Sat
  ['0 0 * * */3', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], // Sun Wed Sat
  ['0 0 * * 1-5', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'],
  ['0 0 * * MON-Fri', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'],
  ['0 0 * * 5-7', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], // Fri, Sat, Sun as 7
  ['0 0 * * fri-sun', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], // Sun as 0 ending a range
  ['0 0 * * 7', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z'],
  ['0 0 1 * 0', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'],
  ['0 8 * jan,jul sun', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['0 8 1 JAN-MAR,oct *', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['5,10,15-20/2,40-59/7 3 * * *', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z'],
  ['*/13 */5 * * *', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z'],
  ['0 0-23/7 * * *', '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z'],
  ['0 22 * * 1-5', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'],
  ['@yearly', '2026-01-01T00:00:00Z', '2029-06-01T00:00:00Z'],
  ['@annually', '2026-06-01T00:00:00Z', '2028-06-01T00:00:00Z'],
  ['@monthly', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ['@weekly', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z'],
  ['0 0 12 29 2 *', '2028-02-27T00:00:00Z', '2028-03-02T00:00:00Z'], // seconds field, Feb 29
];
const SECONDS_CALENDAR: [string, string, string][] = [
  ['*/10 * * * * *', '2026-06-01T00:00:00Z', '2026-06-01T12:00:00Z'],
  ['5-50/15 */30 9 * * mon', '2026-06-01T00:00:00Z', '2026-06-09T00:00:00Z'],
];

function shift(iso: string, hours: number): string {
  return new Date(new Date(iso).getTime() + hours * 3_600_000).toISOString();
}

export function tableCases(): TableCase[] {
  const cases: TableCase[] = [];
  for (const zone of ZONES) {
    CHANGES[zone].forEach((change, index) => {
      const label = index === 0 ? 'first 2026 change' : 'second 2026 change';
      for (const expression of AROUND_CHANGES) cases.push({ expression, zone, label, from: shift(change, -36), to: shift(change, 36) });
      for (const expression of SECONDS_AROUND_CHANGES) cases.push({ expression, zone, label, from: shift(change, -5), to: shift(change, 5) });
    });
  }
  for (const zone of ['UTC', 'America/New_York']) {
    for (const [expression, from, to] of [...CALENDAR, ...SECONDS_CALENDAR]) cases.push({ expression, zone, label: 'calendar', from, to });
  }
  return cases;
}
