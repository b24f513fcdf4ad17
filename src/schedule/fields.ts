/**
 * One time-and-date field, read the way cronie reads it (src/entry.c: get_list → get_range → get_number): a comma
 * list whose items are `*`, `n` or `n-m`, the star and the range optionally followed by `/step`; n and m are numbers
 * or, in the month and day-of-week fields only, three-letter English names in any case (strcasecmp against
 * MonthNames and DowNames).
 * The values themselves are expanded by cron-parser. Whatever cronie refuses is refused here with the field and the value named; the few places where flow is
 * stricter than cronie 1.7 are noted where they happen.
 */
import { CronExpressionParser } from 'cron-parser';
import { ScheduleError, type FieldName } from './errors.js';

export interface FieldSpec {
  readonly name: FieldName;
  readonly min: number;
  readonly max: number;
  /** Names for min, min+1, … (crontab(5): "Use the first three letters of the particular day or month"). */
  readonly names?: readonly string[];
}

export const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
export const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
export const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
export const DAY_OF_MONTH: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
export const MONTH: FieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
/** 0 and 7 are both Sunday (crontab(5)); cronie's LAST_DOW is 7 and load_entry sets both bits when either is set. */
export const DAY_OF_WEEK: FieldSpec = {
  name: 'day-of-week',
  min: 0,
  max: 7,
  names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};

const ITEM = /^(?:(\*)|([A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?)(?:\/([A-Za-z0-9]+))?$/;
const ALL_NAMES = new Set([...(MONTH.names ?? []), ...(DAY_OF_WEEK.names ?? [])]);

/** The values a field allows, sorted and without duplicates; in the day-of-week field 7 is folded into 0. */
export function parseField(text: string, spec: FieldSpec): readonly number[] {
  const set = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new ScheduleError(`"${text}" has an empty list item`, spec.name);
    for (const value of itemValues(item, spec)) set.add(spec === DAY_OF_WEEK && value === 7 ? 0 : value);
  }
  return [...set].sort((a, b) => a - b);
}

function itemValues(item: string, spec: FieldSpec): number[] {
  if (item.includes('~')) {
    // cronie 1.6 added `a~b`: a random value picked each time the crontab is loaded. A pipeline's fire times must
    // be the same on every read, so flow asks for the value instead.
    throw new ScheduleError(`"${item}" is cronie's random pick, made anew each time it loads the crontab; flow needs a fixed value`, spec.name);
  }
  const match = ITEM.exec(item);
  if (match === null) throw notCron(item, spec);
  const [, star, first, last, stepText] = match;
  const step = stepText === undefined ? 1 : stepOf(stepText, item, spec);
  if (star !== undefined) return expand(spec, spec.min, spec.max, step);
  const low = valueOf(first ?? '', item, spec);
  if (last === undefined) {
    if (stepText !== undefined) {
      // entry.c's R_NUM1 state accepts only `-`, `~` or a separator after a lone number: cronie refuses `5/10`.
      throw new ScheduleError(`"${item}" puts a step on a single value; steps follow a range or *: write "${first ?? ''}-${spec.max}/${stepText}"`, spec.name);
    }
    return [low];
  }
  let high = valueOf(last, item, spec);
  // cronie reads a range ending in Sunday-as-0 (`fri-sun`, `5-0`) as ending in 7, but only without a step (the
  // R_RANGE_NUM2 state checks for `/` first). cronie applies the fix to every field, where it makes no sense
  // (minute `5-0` becomes 5-7); flow applies it to the day of the week only.
  if (spec === DAY_OF_WEEK && high === 0 && low > 0 && stepText === undefined) high = 7;
  if (low > high) {
    // crontab(5): "The first number must be less than or equal to the second one." cronie up to 1.5 refused a
    // backwards range; since 1.6 it loads it as an empty set, which can only be a mistake.
    const hint = spec === DAY_OF_WEEK && high === 0
      ? ' (write 7 for Sunday at the end of a range)'
      : stepText === undefined ? ` (write "${first ?? ''}-${spec.max},${spec.min}-${last}")` : '';
    throw new ScheduleError(`range "${item}" is backwards; the first value must not be greater than the second${hint}`, spec.name);
  }
  return expand(spec, low, high, step);
}

/** Where each field sits in a six-field cron-parser expression. */
const POSITION: Record<FieldName, number> = { second: 0, minute: 1, hour: 2, 'day-of-month': 3, month: 4, 'day-of-week': 5 };

/**
 * The values of a range with a step, expanded by cron-parser. Only ranges this reader has already checked against
 * cronie's grammar reach it, one at a time (cron-parser refuses a list that names a value twice, as `0,7` does), in
 * an expression that is `*` everywhere else so that no cross-field rule of cron-parser's applies.
 */
const expanded = new Map<string, number[]>();

function expand(spec: FieldSpec, low: number, high: number, step: number): number[] {
  const key = `${spec.name} ${low}-${high}/${step}`;
  let values = expanded.get(key);
  if (values === undefined) {
    if (expanded.size > 10_000) expanded.clear();
    values = expandUncached(spec, low, high, step);
    expanded.set(key, values);
  }
  return values;
}

function expandUncached(spec: FieldSpec, low: number, high: number, step: number): number[] {
  const fields = ['0', '*', '*', '*', '*', '*'];
  fields[POSITION[spec.name]] = `${low}-${high}/${step}`;
  const collection = CronExpressionParser.parse(fields.join(' ')).fields;
  const field = [collection.second, collection.minute, collection.hour, collection.dayOfMonth, collection.month, collection.dayOfWeek][POSITION[spec.name]];
  // cron-parser adds 0 for a day-of-week range that reaches 7; this reader folds 7 into 0 itself.
  return (field?.values ?? []).map(Number).filter((value) => value >= low && value <= high && (value - low) % step === 0);
}

function stepOf(text: string, item: string, spec: FieldSpec): number {
  if (!/^[0-9]+$/.test(text)) throw notCron(item, spec);
  const step = Number(text);
  // cronie refuses a step of 0 (R_STEP), and 1.5.5-1.5.7 refused a step above the field's highest value, as flow
  // does: `*/60` in the minute field names minute 0 only (cronie 1.7 loads it that way, with a warning).
  if (step < 1 || step > spec.max) throw new ScheduleError(`step ${numberText(text, step)} is out of range 1-${spec.max}`, spec.name);
  return step;
}

function valueOf(token: string, item: string, spec: FieldSpec): number {
  if (/^[0-9]+$/.test(token)) {
    const value = Number(token);
    if (value < spec.min || value > spec.max) {
      throw new ScheduleError(`${numberText(token, value)} is out of range ${spec.min}-${spec.max}`, spec.name);
    }
    return value;
  }
  const lower = token.toLowerCase();
  if (spec.names !== undefined) {
    const index = spec.names.indexOf(lower);
    if (index >= 0) return spec.min + index;
    if (/^[a-z]{3}$/.test(lower)) {
      const what = spec === MONTH ? 'a month name (jan-dec)' : 'a day name (sun-sat)';
      throw new ScheduleError(`"${token}" is not ${what}`, spec.name);
    }
  } else if (ALL_NAMES.has(lower)) {
    throw new ScheduleError(`"${token}" is a name; names are allowed only in the month and day-of-week fields`, spec.name);
  }
  throw notCron(item, spec);
}

function notCron(item: string, spec: FieldSpec): ScheduleError {
  return new ScheduleError(`"${item}" is not cron syntax (flow follows crontab(5))`, spec.name);
}

/** A number as written, without leading zeros, even when too large to hold exactly. */
function numberText(text: string, value: number): string {
  return Number.isSafeInteger(value) ? String(value) : text.replace(/^0+(?=\d)/, '');
}
