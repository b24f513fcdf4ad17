/**
 * Dates as people give them to `flow backfill --from/--to` and `flow run --date`, read in the pipeline's time zone:
 * a day (`2026-03-26`) is that whole day there; an ISO 8601 date-time with an offset or `Z` is that instant; one
 * without is a wall-clock time in the zone (a time the spring change skips means the end of the gap, a repeated
 * time its first occurrence, as `flow next --after` reads it).
 */
import { FlowError } from '../errors.js';
import type { Pipeline } from '../pipeline/types.js';
import { instantOfLocal } from '../schedule/local.js';
import { systemTimeZone } from '../util/timezone.js';

/** The span a date stands for: a day from its first instant through its last millisecond; an instant, itself. */
export interface DateSpan {
  start: Date;
  end: Date;
  /** True when a day was given. */
  day: boolean;
}

/** The zone a pipeline's schedule and logical dates are read in. */
export function zoneOf(pipeline: Pipeline): string {
  return pipeline.timezone ?? systemTimeZone();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** `flag` names the option in the error (`--from`); `zone` is an IANA zone the caller has checked. */
export function parseDate(text: string, zone: string, flag: string): DateSpan {
  const bad = (): FlowError =>
    new FlowError('E_USAGE', `${flag}: "${text}" is not a date`, {
      hint: "write a day (2026-03-26, in the pipeline's time zone) or an ISO 8601 instant (2026-03-26T03:00, 2026-03-26T02:00:00Z)",
    });
  const match = DATE.exec(text.trim());
  if (match === null) throw bad();
  const [, year, month, day, hour, minute = '0', second = '0', millis = '0', offset] = match;
  const fields = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour ?? 0), minute: Number(minute), second: Number(second) };
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const check = new Date(asUtc);
  const real = check.getUTCMonth() === fields.month - 1 && check.getUTCDate() === fields.day && fields.hour < 24 && fields.minute < 60 && fields.second < 60;
  if (!real) throw bad();
  if (hour === undefined) {
    if (offset !== undefined) throw bad();
    const next = new Date(Date.UTC(fields.year, fields.month - 1, fields.day + 1));
    const start = instantOfLocal(zone, fields);
    const end = instantOfLocal(zone, { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
    return { start, end: new Date(end.getTime() - 1), day: true };
  }
  const ms = Number(millis.padEnd(3, '0'));
  const at = new Date(offset === undefined ? instantOfLocal(zone, fields).getTime() + ms : asUtc + ms - offsetMinutes(offset) * 60_000);
  return { start: at, end: at, day: false };
}

function offsetMinutes(offset: string): number {
  if (/^z$/i.test(offset)) return 0;
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset) ?? [];
  return (Number(hours) * 60 + Number(minutes)) * (sign === '-' ? -1 : 1);
}
