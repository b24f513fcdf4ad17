/** Syntax: what crontab(5) and cronie's entry.c accept, what they refuse, and the messages flow gives. */
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../src/errors.js';
import { ScheduleError, checkSchedule, parseSchedule } from '../../../src/schedule/index.js';

const range = (low: number, high: number, step = 1): number[] => {
  const values: number[] = [];
  for (let value = low; value <= high; value += step) values.push(value);
  return values;
};

describe('parseSchedule: accepted', () => {
  it.each([
    ['lists', '1,2,5,9 * * * *', { minutes: [1, 2, 5, 9] }],
    ['ranges', '0 8-11 * * *', { hours: [8, 9, 10, 11] }],
    ['lists of ranges', '0-4,8-12 * * * *', { minutes: [0, 1, 2, 3, 4, 8, 9, 10, 11, 12] }],
    ['a step on a range', '0 0-23/2 * * *', { hours: range(0, 22, 2) }],
    ['a step on *', '*/15 * * * *', { minutes: [0, 15, 30, 45] }],
    ['"*/23" in hours is 0 and 23 (crontab(5))', '0 */23 * * *', { hours: [0, 23] }],
    ['a step larger than its range (cronie warns, loads the first value)', '5-10/30 * * * *', { minutes: [5] }],
    ['month names, any case', '0 0 1 jan,JUL,Dec *', { months: [1, 7, 12] }],
    ['day names in a range', '0 0 * * mon-fri', { daysOfWeek: [1, 2, 3, 4, 5] }],
    ['Sunday as 0 and as 7, once', '0 6 * * 0,7', { daysOfWeek: [0] }],
    ['a range ending in Sunday as 0', '0 0 * * fri-sun', { daysOfWeek: [0, 5, 6] }],
    ['0-7 is every day', '0 0 * * 0-7', { daysOfWeek: range(0, 6) }],
    ['*/2 in day-of-week is Sun Tue Thu Sat', '0 0 * * */2', { daysOfWeek: [0, 2, 4, 6] }],
    ['leading zeros', '05 09 01 01 00', { minutes: [5], hours: [9], daysOfMonth: [1], months: [1], daysOfWeek: [0] }],
    ['tabs and repeated blanks between fields', '0\t3  * *\t*', { hours: [3] }],
    ['blanks around the expression', '  0 3 * * *  ', { expression: '0 3 * * *' }],
    ['a leading seconds field (flow extension)', '*/10 * * * * *', { hasSeconds: true, seconds: [0, 10, 20, 30, 40, 50] }],
    ['five fields fire at second 0', '* * * * *', { hasSeconds: false, seconds: [0] }],
  ])('%s: %s', (_what, expression, expected) => {
    expect(parseSchedule(expression)).toMatchObject(expected);
  });

  it.each([
    ['* * * * *', 'and', 'wildcard'],
    ['0 0 */2 * mon', 'and', 'fixed'], // DOM_STAR from the leading *
    ['0 0 1,15 * 5', 'or', 'fixed'],
    ['0 0 *,15 * mon', 'and', 'fixed'], // the text starts with *
    ['0 0 15,* * mon', 'or', 'fixed'], // it does not, though it allows every day
    ['30 2 * * *', 'and', 'fixed'],
    ['0 */2 * * *', 'and', 'wildcard'], // HR_STAR
    ['*/20 1 * * *', 'and', 'wildcard'], // MIN_STAR
    ['0 0-23 * * *', 'and', 'fixed'], // every hour, but no star: a fixed-time job
    ['0 30 2 * * *', 'and', 'fixed'], // the seconds field does not count
    ['*/5 30 2 * * *', 'and', 'fixed'],
  ])('%s: day rule %s, %s job', (expression, dayRule, kind) => {
    expect(parseSchedule(expression)).toMatchObject({ dayRule, kind });
  });

  it.each([
    ['@yearly', { minutes: [0], hours: [0], daysOfMonth: [1], months: [1], daysOfWeek: range(0, 6), dayRule: 'and', kind: 'fixed' }],
    ['@annually', { daysOfMonth: [1], months: [1], dayRule: 'and', kind: 'fixed' }],
    ['@monthly', { daysOfMonth: [1], months: range(1, 12), dayRule: 'and', kind: 'fixed' }],
    ['@weekly', { daysOfMonth: range(1, 31), daysOfWeek: [0], dayRule: 'and', kind: 'fixed' }],
    ['@daily', { minutes: [0], hours: [0], dayRule: 'or', kind: 'fixed' }], // load_entry sets no flag at all
    ['@midnight', { minutes: [0], hours: [0], dayRule: 'or', kind: 'fixed' }],
    ['@hourly', { minutes: [0], hours: range(0, 23), kind: 'wildcard' }], // HR_STAR
    ['@reboot', { reboot: true, minutes: [] }],
  ])('preset %s has the sets and flags of cronie\'s load_entry', (expression, expected) => {
    expect(parseSchedule(expression)).toMatchObject({ expression, reboot: expression === '@reboot', hasSeconds: false, ...expected });
  });
});

describe('parseSchedule: refused, with the field and the value named', () => {
  it.each([
    ['61 * * * *', 'minute: 61 is out of range 0-59', 'minute'],
    ['* 24 * * *', 'hour: 24 is out of range 0-23', 'hour'],
    ['0 0 0 * *', 'day-of-month: 0 is out of range 1-31', 'day-of-month'],
    ['0 0 32 * *', 'day-of-month: 32 is out of range 1-31', 'day-of-month'],
    ['0 0 * 13 *', 'month: 13 is out of range 1-12', 'month'],
    ['0 0 * * 8', 'day-of-week: 8 is out of range 0-7', 'day-of-week'],
    ['50-61 * * * *', 'minute: 61 is out of range 0-59', 'minute'],
    ['60 * * * * *', 'second: 60 is out of range 0-59', 'second'],
    ['99999999999999999999 * * * *', 'minute: 99999999999999999999 is out of range 0-59', 'minute'],
    ['* * * * 5L', 'day-of-week: "5L" is not cron syntax (flow follows crontab(5))', 'day-of-week'],
    ['0 0 L * *', 'day-of-month: "L" is not cron syntax (flow follows crontab(5))', 'day-of-month'],
    ['0 0 15W * *', 'day-of-month: "15W" is not cron syntax (flow follows crontab(5))', 'day-of-month'],
    ['0 0 ? * mon', 'day-of-month: "?" is not cron syntax (flow follows crontab(5))', 'day-of-month'],
    ['0 0 * * 5#3', 'day-of-week: "5#3" is not cron syntax (flow follows crontab(5))', 'day-of-week'],
    ['H * * * *', 'minute: "H" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['H/15 * * * *', 'minute: "H/15" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['*5 * * * *', 'minute: "*5" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['*-5 * * * *', 'minute: "*-5" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['1-2-3 * * * *', 'minute: "1-2-3" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['-5 * * * *', 'minute: "-5" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['0x10 * * * *', 'minute: "0x10" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['*/mon * * * *', 'minute: "*/mon" is not cron syntax (flow follows crontab(5))', 'minute'],
    ['0 0 * * Sunday', 'day-of-week: "Sunday" is not cron syntax (flow follows crontab(5))', 'day-of-week'],
    ['0 0 * foo *', 'month: "foo" is not a month name (jan-dec)', 'month'],
    ['0 0 * * thr', 'day-of-week: "thr" is not a day name (sun-sat)', 'day-of-week'],
    ['mon * * * *', 'minute: "mon" is a name; names are allowed only in the month and day-of-week fields', 'minute'],
    ['5/10 * * * *', 'minute: "5/10" puts a step on a single value; steps follow a range or *: write "5-59/10"', 'minute'],
    ['*/0 * * * *', 'minute: step 0 is out of range 1-59', 'minute'],
    ['*/60 * * * *', 'minute: step 60 is out of range 1-59', 'minute'],
    ['0 */24 * * *', 'hour: step 24 is out of range 1-23', 'hour'],
    ['0 0 * * */8', 'day-of-week: step 8 is out of range 1-7', 'day-of-week'],
    ['0 22-2 * * *', 'hour: range "22-2" is backwards; the first value must not be greater than the second (write "22-23,0-2")', 'hour'],
    ['0 0 * * sat-mon', 'day-of-week: range "sat-mon" is backwards; the first value must not be greater than the second (write "sat-7,0-mon")', 'day-of-week'],
    ['0 0 * * fri-sun/2', 'day-of-week: range "fri-sun/2" is backwards; the first value must not be greater than the second (write 7 for Sunday at the end of a range)', 'day-of-week'],
    ['30-4/5 * * * *', 'minute: range "30-4/5" is backwards; the first value must not be greater than the second', 'minute'],
    ['0~30 * * * *', 'minute: "0~30" is cronie\'s random pick, made anew each time it loads the crontab; flow needs a fixed value', 'minute'],
    ['1,,2 * * * *', 'minute: "1,,2" has an empty list item', 'minute'],
    ['* * * * 1-5,', 'day-of-week: "1-5," has an empty list item', 'day-of-week'],
  ])('%s → %s', (expression, message, field) => {
    const error = catchError(() => parseSchedule(expression));
    expect(error).toBeInstanceOf(ScheduleError);
    expect(error.message).toBe(message);
    expect((error as ScheduleError).field).toBe(field);
    expect(checkSchedule(expression)).toBe(message);
  });

  it.each([
    ['', 'the schedule is empty (write five fields such as "0 3 * * *", or a preset such as @daily)'],
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading seconds field; got 4'],
    ['0 0 0 * * * 2026', 'expected 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading seconds field; got 7'],
    ['@every 5m', '"@every" is not a cron preset (crontab(5) has @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)'],
    ['@Daily', '"@Daily" is not a cron preset (crontab(5) has @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly); presets are lower-case, as in cronie: @daily'],
    ['@daily /usr/bin/backup', '"@daily" stands for all five fields; remove "/usr/bin/backup"'],
  ])('%j → %s', (expression, message) => {
    const error = catchError(() => parseSchedule(expression));
    expect(error).toBeInstanceOf(ScheduleError);
    expect(error.message).toBe(message);
    expect((error as ScheduleError).field).toBeUndefined();
  });

  it('refuses what is not text with a ScheduleError, for pipelines written in JavaScript', () => {
    expect(catchError(() => parseSchedule(5 as unknown as string))).toBeInstanceOf(ScheduleError);
  });
});

function catchError(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('ScheduleError', () => {
  it('is a FlowError with code E_VALIDATION, so the CLI reports it as a user error', () => {
    const error = catchError(() => parseSchedule('0 24 * * *'));
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({ name: 'ScheduleError', code: 'E_VALIDATION', field: 'hour' });
  });
});
