/** Instants written for people and for records: ISO 8601 with the zone's offset, and the local day. */
import { knownOffsetAt } from '../schedule/zone.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string | undefined): Intl.DateTimeFormat {
  const key = timezone ?? '';
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(key, format);
  }
  return format;
}

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

/** Wall-clock fields of an instant in a zone (default: the system's). */
export function localTime(instant: Date, timezone?: string): LocalTime {
  // The system's zone through Date's own getters: many times faster than Intl, and on the hot path of every event.
  if (timezone === undefined) {
    return {
      year: instant.getFullYear(),
      month: instant.getMonth() + 1,
      day: instant.getDate(),
      hour: instant.getHours(),
      minute: instant.getMinutes(),
      second: instant.getSeconds(),
      offsetMinutes: -instant.getTimezoneOffset(),
    };
  }
  // The zone's offset from the schedule's tables when they are made (the daemon's always are): the same offsets ICU
  // gives, without loading ICU's locale data into a process that has no other use for it.
  const seconds = Math.floor(instant.getTime() / 1000);
  const offset = knownOffsetAt(timezone, seconds);
  if (offset !== undefined) {
    const wall = new Date((seconds + offset) * 1000);
    return {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      offsetMinutes: Math.round(offset / 60),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(instant)) parts[part.type] = Number(part.value);
  const fields = {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second);
  const offsetMinutes = Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  return { ...fields, offsetMinutes };
}

/** `2026-03-29T03:00:00+02:00`; milliseconds only when there are some. */
export function isoWithOffset(instant: Date, timezone?: string): string {
  const t = localTime(instant, timezone);
  const ms = instant.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  const abs = Math.abs(t.offsetMinutes);
  const offset = `${t.offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${t.year}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${fraction}${offset}`;
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function dayOf(instant: Date, timezone?: string): string {
  const t = localTime(instant, timezone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
