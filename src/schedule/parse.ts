/**
 * An expression in, a Schedule out: five fields as in crontab(5), six with flow's leading seconds field, or an @
 * preset. Throws a ScheduleError naming the field and the value; accepts, as cronie does, a schedule that can
 * never fire (`0 0 30 2 *`), which canFire reports.
 */
import { ScheduleError } from './errors.js';
import { DAY_OF_MONTH, DAY_OF_WEEK, HOUR, MINUTE, MONTH, SECOND, parseField } from './fields.js';
import { PRESET_NAMES, PRESETS, type Preset } from './presets.js';
import type { Schedule, StarFlags } from './schedule.js';

export function parseSchedule(expression: string): Schedule {
  if (typeof expression !== 'string') throw new ScheduleError(`expected the schedule as text, got ${typeof expression}`);
  const text = expression.trim();
  if (text === '') throw new ScheduleError('the schedule is empty (write five fields such as "0 3 * * *", or a preset such as @daily)');
  if (text.startsWith('@')) return fromPreset(text);
  // cronie separates fields with blanks (spaces and tabs); anything else is part of a field and refused there.
  const fields = text.split(/[ \t]+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new ScheduleError(`expected 5 fields (minute hour day-of-month month day-of-week), or 6 with a leading seconds field; got ${fields.length}`);
  }
  const hasSeconds = fields.length === 6;
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = ''] = hasSeconds ? fields.slice(1) : fields;
  const seconds = hasSeconds ? parseField(fields[0] ?? '', SECOND) : [0];
  // load_entry tests only the first character of a field for the star flags, before get_list reads it.
  return build(text, hasSeconds, seconds, [minute, hour, dayOfMonth, month, dayOfWeek], {
    minute: minute.startsWith('*'),
    hour: hour.startsWith('*'),
    dayOfMonth: dayOfMonth.startsWith('*'),
    dayOfWeek: dayOfWeek.startsWith('*'),
  });
}

function fromPreset(text: string): Schedule {
  const [word = '', ...rest] = text.split(/[ \t]+/);
  const preset = PRESETS.get(word.slice(1));
  if (preset === undefined) {
    const lower = PRESETS.has(word.slice(1).toLowerCase()) ? `; presets are lower-case, as in cronie: ${word.toLowerCase()}` : '';
    throw new ScheduleError(`"${word}" is not a cron preset (crontab(5) has ${PRESET_NAMES.join(', ')})${lower}`);
  }
  if (rest.length > 0) throw new ScheduleError(`"${word}" stands for all five fields; remove "${rest.join(' ')}"`);
  if (preset === 'reboot') {
    return {
      expression: text,
      reboot: true,
      hasSeconds: false,
      seconds: [],
      minutes: [],
      hours: [],
      daysOfMonth: [],
      months: [],
      daysOfWeek: [],
      dayRule: 'or',
      kind: 'fixed',
    };
  }
  return build(text, false, [0], (preset satisfies Preset).fields, preset.flags);
}

function build(
  expression: string,
  hasSeconds: boolean,
  seconds: readonly number[],
  [minute, hour, dayOfMonth, month, dayOfWeek]: readonly [string, string, string, string, string],
  flags: StarFlags,
): Schedule {
  return {
    expression,
    reboot: false,
    hasSeconds,
    seconds,
    minutes: parseField(minute, MINUTE),
    hours: parseField(hour, HOUR),
    daysOfMonth: parseField(dayOfMonth, DAY_OF_MONTH),
    months: parseField(month, MONTH),
    daysOfWeek: parseField(dayOfWeek, DAY_OF_WEEK),
    dayRule: flags.dayOfMonth || flags.dayOfWeek ? 'and' : 'or',
    kind: flags.minute || flags.hour ? 'wildcard' : 'fixed',
  };
}
