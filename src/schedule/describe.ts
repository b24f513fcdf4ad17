/**
 * A schedule in words for `flow list`, by cronstrue. cronstrue reads the two day fields as cron's OR; where cronie
 * ANDs them (a day field starting with `*`, the other restricted) the words say so.
 */
import type { Schedule } from './schedule.js';

type Describe = (expression: string, options: { use24HourTimeFormat: boolean; throwExceptionOnParseError: boolean }) => string;

export async function describeSchedule(schedule: Schedule): Promise<string> {
  if (schedule.reboot) return 'When the daemon starts (once per boot)';
  const { default: cronstrue } = (await import('cronstrue')) as unknown as { default: { toString: Describe } };
  let text: string;
  try {
    text = cronstrue.toString(normalizeSunday(schedule.expression), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return schedule.expression;
  }
  const domRestricted = schedule.daysOfMonth.length < 31;
  const dowRestricted = schedule.daysOfWeek.length < 7;
  if (schedule.dayRule === 'and' && domRestricted && dowRestricted) text += ' (only on days that match both)';
  return text;
}

/** `0,7` and `sun,7` name Sunday twice; say it once. */
function normalizeSunday(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  const last = fields.at(-1);
  if (fields.length < 5 || last === undefined || !last.includes(',')) return expression;
  const items = last.split(',');
  const hasSunday = items.some((item) => item === '0' || item.toLowerCase() === 'sun');
  if (hasSunday) fields[fields.length - 1] = items.filter((item) => item !== '7').join(',');
  return fields.join(' ');
}
