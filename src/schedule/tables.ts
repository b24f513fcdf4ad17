/**
 * Lookup tables built once per Schedule for the wall-clock matcher: for each field value, the first allowed value
 * at or after it. Kept beside the Schedule in a WeakMap, so a Schedule stays plain data.
 */
import type { Schedule } from './schedule.js';

export interface Tables {
  /** nextSecond[s]: the first allowed second ≥ s, or -1 when none is left in the minute. */
  readonly nextSecond: Int8Array;
  readonly nextMinute: Int8Array;
  readonly nextHour: Int8Array;
  /** Indexed 1-12, 1-31 and 0-6. */
  readonly month: Uint8Array;
  readonly dayOfMonth: Uint8Array;
  readonly dayOfWeek: Uint8Array;
  readonly bothDays: boolean;
}

const built = new WeakMap<Schedule, Tables>();

export function tablesFor(schedule: Schedule): Tables {
  let tables = built.get(schedule);
  if (tables === undefined) {
    tables = {
      nextSecond: nextTable(schedule.seconds, 60),
      nextMinute: nextTable(schedule.minutes, 60),
      nextHour: nextTable(schedule.hours, 24),
      month: membership(schedule.months, 13),
      dayOfMonth: membership(schedule.daysOfMonth, 32),
      dayOfWeek: membership(schedule.daysOfWeek, 7),
      bothDays: schedule.dayRule === 'and',
    };
    built.set(schedule, tables);
  }
  return tables;
}

function nextTable(values: readonly number[], size: number): Int8Array {
  const table = new Int8Array(size).fill(-1);
  let next = -1;
  for (let value = size - 1; value >= 0; value--) {
    if (values.includes(value)) next = value;
    table[value] = next;
  }
  return table;
}

function membership(values: readonly number[], size: number): Uint8Array {
  const table = new Uint8Array(size);
  for (const value of values) table[value] = 1;
  return table;
}

/** cron.c's test of a day: both day fields when either starts with `*`, else either one. */
export function dayMatches(tables: Tables, dayOfMonth: number, dayOfWeek: number): boolean {
  const inMonth = tables.dayOfMonth[dayOfMonth] === 1;
  const inWeek = tables.dayOfWeek[dayOfWeek] === 1;
  return tables.bothDays ? inMonth && inWeek : inMonth || inWeek;
}
