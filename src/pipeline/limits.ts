/**
 * How large each part of a pipeline file may be. Every bound is checked before the work it guards (reading the
 * file, YAML, regexes, ICU's time zone lookup, cron parsing), so a hostile or mistaken file is refused in
 * milliseconds instead of blocking a daemon that schedules other pipelines. README.md lists these values.
 */
import { parseDuration } from '../util/duration.js';

export const LIMITS = {
  /** A pipeline or config file, in bytes. */
  fileBytes: 1024 * 1024,
  /** Pipeline names and task ids, in bytes: they name files and directories (see names.ts). */
  nameBytes: 200,
  /** A command (`run`, a hook): given to the shell as one argument, which Linux caps at 32 pages (MAX_ARG_STRLEN). */
  commandChars: 131_071,
  /** An environment value: each `KEY=value` string is capped like an argument. */
  envValueChars: 131_071,
  envKeyChars: 1024,
  /** A path (`cwd`, `shell`): PATH_MAX is 4096 bytes with its terminating NUL. */
  pathChars: 4095,
  /** IANA names are at most 32 characters (America/Argentina/ComodRivadavia). */
  timezoneChars: 100,
  scheduleChars: 1000,
  durationChars: 100,
  /** A user name: LOGIN_NAME_MAX. */
  userChars: 256,
  descriptionChars: 10_000,
  tagChars: 200,
  /** The longest wait any duration may ask for. */
  durationMs: 365 * 86_400_000,
} as const;

export const MAX_DURATION_TEXT = '365d';

export function tooLong(max: number, unit = 'characters'): string {
  return `is too long: at most ${grouped(max)} ${unit}`;
}

/** 1048576 → `1,048,576` (without toLocaleString, whose first call loads ICU's data). */
export function grouped(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function withinDurationLimit(text: string): boolean {
  const ms = parseDuration(text);
  return ms === undefined || ms <= LIMITS.durationMs;
}
