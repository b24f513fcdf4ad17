/**
 * From a wall-clock date-time in a zone to an instant, for people who type a local time (`flow next --after`).
 * A time that happens twice (daylight saving ends) is taken at its first occurrence; a time that does not happen
 * (daylight saving starts) is moved to the first instant after the gap, as cron moves a fixed-time job.
 */
import { dayNumber, SECONDS_PER_DAY } from './calendar.js';
import { checkZone, offsetAt, transitionsBetween } from './zone.js';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}

export function instantOfLocal(zone: string, local: LocalDateTime): Date {
  checkZone(zone);
  const wall = dayNumber(local.year, local.month, local.day) * SECONDS_PER_DAY
    + (local.hour ?? 0) * 3600 + (local.minute ?? 0) * 60 + (local.second ?? 0);
  // Offsets are within a day of UTC, so every instant showing this wall time lies within a day of `wall`.
  const changes = transitionsBetween(zone, wall - 2 * SECONDS_PER_DAY, wall + 2 * SECONDS_PER_DAY);
  const offsets = [offsetAt(zone, wall - 2 * SECONDS_PER_DAY), ...changes.map((change) => change.after)];
  const instants = offsets.map((offset) => wall - offset).filter((instant) => offsetAt(zone, instant) === wall - instant);
  if (instants.length > 0) return new Date(Math.min(...instants) * 1000);
  const gap = changes.find((change) => wall >= change.at + change.before && wall < change.at + change.after);
  return new Date((gap?.at ?? wall - (offsets[0] ?? 0)) * 1000);
}
