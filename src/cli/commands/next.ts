/**
 * `flow next <expression|pipeline>`: the next fire times of a cron expression, or of a pipeline's schedule in the
 * pipeline's time zone, as the daemon will run them (cronie's rules, daylight-saving changes included).
 */
import { stat } from 'node:fs/promises';
import { FlowError } from '../../errors.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import {
  ScheduleError,
  instantOfLocal,
  neverFiresReason,
  nextFireTimes,
  parseSchedule,
  type Schedule,
} from '../../schedule/index.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { isoWithOffset, localTime } from '../../util/time.js';
import { isValidTimeZone, systemTimeZone } from '../../util/timezone.js';
import { table } from '../render/table.js';
import { writeLine, type Io } from '../ui.js';

export interface NextFlags {
  count?: number;
  tz?: string;
  after?: string;
  json?: boolean;
  dir?: string;
}

const MAX_COUNT = 1_000;

export async function nextCommand(
  expressionOrPipeline: string,
  flags: NextFlags,
  io: Io,
  now: () => Date = () => new Date(),
): Promise<number> {
  const count = flags.count ?? 5;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new FlowError('E_USAGE', `--count: expected a whole number from 1 to ${MAX_COUNT}, got ${String(count)}`);
  }
  if (flags.tz !== undefined && !isValidTimeZone(flags.tz)) {
    throw new FlowError('E_USAGE', `--tz: unknown time zone ${JSON.stringify(flags.tz.length > 60 ? `${flags.tz.slice(0, 57)}...` : flags.tz)}`, { hint: 'use an IANA name such as Europe/Berlin or UTC' });
  }
  const source = await scheduleSource(expressionOrPipeline, flags, io);
  const timezone = flags.tz ?? source.timezone ?? systemTimeZone();
  const after = flags.after === undefined ? now() : parseAfter(flags.after, timezone);

  let times: Date[] = [];
  let schedule: Schedule | undefined;
  if (source.expression === undefined) {
    writeLine(io.stderr, `flow: warning: pipeline "${source.pipeline ?? ''}" has no schedule (add \`schedule:\` to run it from the daemon)`);
  } else {
    schedule = parsed(source.expression);
    const never = neverFiresReason(schedule);
    if (schedule.reboot) writeLine(io.stderr, 'flow: warning: @reboot runs once when the daemon starts; it has no clock times');
    else if (never !== undefined) writeLine(io.stderr, `flow: warning: schedule "${schedule.expression}" never fires (${never})`);
    else times = nextFireTimes(schedule, timezone, after, count);
  }

  if (flags.json) {
    const data = { expression: schedule?.expression ?? null, timezone, times: times.map((time) => isoWithOffset(time, timezone)) };
    writeLine(io.stdout, JSON.stringify(data, null, 2));
    return 0;
  }
  const seconds = schedule?.hasSeconds ?? false;
  table(times.map((time) => [isoWithOffset(time, timezone), human(time, timezone, seconds)])).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

interface Source {
  expression: string | undefined;
  timezone: string | undefined;
  pipeline?: string;
}

/** An argument with blanks or a leading @ is an expression (unless such a file exists); anything else a pipeline. */
async function scheduleSource(ref: string, flags: NextFlags, io: Io): Promise<Source> {
  const text = ref.trim();
  if ((text.startsWith('@') || /\s/.test(text)) && !(await isFile(ref))) return { expression: text, timezone: undefined };
  // `flow next */5` without quotes: the shell split the expression, or one field was given for all five.
  const field = /^[0-9*/,~?#LW-]+$/.test(text);
  const notPipeline = (cause?: unknown): FlowError =>
    new FlowError('E_USAGE', `"${text}" is neither a pipeline nor a whole cron expression`, {
      cause,
      hint: `give all five fields in quotes, as in: flow next "${text} * * * *"`,
    });
  let file: string;
  try {
    file = await resolvePipelineFile(ref, pipelinesDir(flags.dir, io.env));
  } catch (error) {
    throw field ? notPipeline(error) : error;
  }
  if (field && !(await isFile(file))) throw notPipeline();
  // Loaded here only: `flow next <expression>` needs no parser nor schema (and a pipeline validated before, neither).
  const pipeline = await (await import('../../pipeline/cache.js')).loadPipelineCached(file, flowHome(io.env));
  return { expression: pipeline.schedule, timezone: pipeline.timezone, pipeline: pipeline.name };
}

function parsed(expression: string): Schedule {
  try {
    return parseSchedule(expression);
  } catch (error) {
    if (error instanceof ScheduleError) throw new FlowError('E_VALIDATION', `schedule "${expression}": ${error.message}`, { cause: error });
    throw error;
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * `--after`: ISO 8601 with an offset is that instant; without one it is a wall-clock time in the schedule's zone
 * (a time the spring change skips means the end of the gap, a repeated time its first occurrence).
 */
function parseAfter(text: string, timezone: string): Date {
  const bad = (): FlowError =>
    new FlowError('E_USAGE', `--after: "${text}" is not an ISO 8601 date and time`, {
      hint: 'write 2026-03-08, 2026-03-08T01:30 (in the schedule\'s time zone) or 2026-03-08T01:30:00-05:00',
    });
  const match = ISO.exec(text.trim());
  if (match === null) throw bad();
  const [, year, month, day, hour = '0', minute = '0', second = '0', millis = '0', zone] = match;
  const fields = { year: Number(year), month: Number(month), day: Number(day), hour: Number(hour), minute: Number(minute), second: Number(second) };
  const asUtc = new Date(Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second));
  const exists = asUtc.getUTCMonth() === fields.month - 1 && asUtc.getUTCDate() === fields.day && fields.hour < 24 && fields.minute < 60 && fields.second < 60;
  if (!exists) throw bad();
  const ms = Number(millis.padEnd(3, '0'));
  if (zone === undefined) return new Date(instantOfLocal(timezone, fields).getTime() + ms);
  if (/^z$/i.test(zone)) return new Date(asUtc.getTime() + ms);
  const [, sign, hours, minutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
  const offset = (Number(hours) * 60 + Number(minutes)) * (sign === '-' ? -1 : 1);
  return new Date(asUtc.getTime() + ms - offset * 60_000);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Sun 03:00 EDT`: the weekday, wall-clock time and zone abbreviation a person reads. */
function human(instant: Date, timezone: string, seconds: boolean): string {
  const t = localTime(instant, timezone);
  const weekday = WEEKDAYS[new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay()] ?? '';
  const clock = [t.hour, t.minute, ...(seconds ? [t.second] : [])].map((part) => String(part).padStart(2, '0')).join(':');
  return `${weekday} ${clock} ${abbreviation(instant, timezone)}`;
}

/**
 * ICU knows an abbreviation per zone in some English locales only (EDT in en-US, BST in en-GB, IST in en-IN,
 * LHDT in en-AU); elsewhere it writes GMT+1. Take the first locale that has a name, else the GMT form.
 */
const LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU'];
const namers = new Map<string, Intl.DateTimeFormat>();

function abbreviation(instant: Date, timezone: string): string {
  let fallback = '';
  for (const locale of LOCALES) {
    const key = `${locale} ${timezone}`;
    let namer = namers.get(key);
    if (namer === undefined) {
      namer = new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'short' });
      namers.set(key, namer);
    }
    const name = namer.formatToParts(instant).find((part) => part.type === 'timeZoneName')?.value ?? '';
    if (!/^(GMT|UTC)[+\u2212-]/.test(name)) return name;
    if (fallback === '') fallback = name;
  }
  return fallback;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
