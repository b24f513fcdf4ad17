/**
 * Schedules that can never fire, found from the value sets alone. cronie loads `0 0 30 2 *` and never runs it;
 * flow parses it the same way but lets validation report it.
 */
import { maxDaysInMonth } from './calendar.js';
import type { Schedule } from './schedule.js';

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** False when no instant can ever match. @reboot counts as firing: the daemon runs it when it starts. */
export function canFire(schedule: Schedule): boolean {
  // Every field allows at least one value, so only the day can fail. When either day field will do, the
  // day-of-week field alone finds a day in any month. When both must match, any existing month/day pair will do:
  // over the years each date, February 29 included, falls on every day of the week.
  if (schedule.reboot || schedule.dayRule === 'or') return true;
  return schedule.months.some((month) => schedule.daysOfMonth.some((day) => day <= maxDaysInMonth(month)));
}

/** Why a schedule can never fire, in a few words, or undefined when it can. */
export function neverFiresReason(schedule: Schedule): string | undefined {
  if (canFire(schedule)) return undefined;
  const months = schedule.months.map((month) => MONTH_NAMES[month - 1] ?? String(month));
  const days = joined(schedule.daysOfMonth.map(String), 'or');
  return months.length === 1 ? `there is no ${months[0] ?? ''} ${days}` : `${joined(months, 'and')} have no day ${days}`;
}

function joined(items: readonly string[], word: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1] ?? ''}`;
}
