/**
 * Cron schedules as cronie runs them: crontab(5) syntax (plus an optional leading seconds field), cronie's
 * day-of-month/day-of-week rule and its daylight-saving rules, in any IANA time zone. The work is in the files
 * beside this one; this file gathers what the rest of flow calls, and the one-line check pipeline validation uses.
 */
import { ScheduleError } from './errors.js';
import { neverFiresReason } from './never.js';
import { parseSchedule } from './parse.js';

export { ScheduleError } from './errors.js';
export type { FieldName } from './errors.js';
export type { Schedule } from './schedule.js';
export { parseSchedule } from './parse.js';
export { canFire, neverFiresReason } from './never.js';
export { fireTimesBetween, nextFireTime, nextFireTimes } from './fire-times.js';
export { PRESET_NAMES } from './presets.js';
export { instantOfLocal } from './local.js';

/**
 * For pipeline validation: what is wrong with an expression, or undefined when it is fine. A schedule that parses
 * but can never fire is wrong for a pipeline: `"0 0 30 2 *" never fires (there is no February 30)`.
 */
export function checkSchedule(expression: string): string | undefined {
  try {
    const schedule = parseSchedule(expression);
    const why = neverFiresReason(schedule);
    return why === undefined ? undefined : `"${schedule.expression}" never fires (${why})`;
  } catch (error) {
    if (error instanceof ScheduleError) return error.message;
    throw error;
  }
}
