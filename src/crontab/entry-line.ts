/**
 * A job line, read by the rules of cronie's load_entry (src/entry.c), from its first non-blank character:
 *
 *   [-] (five time fields | @preset) [user] [-n ...] command
 *
 * - A leading `-` asks cron not to log the command; it is allowed in system crontabs and root's only.
 * - Fields are separated by blanks (spaces and tabs); a preset is lower-case, compared with strcmp.
 * - After the time fields comes the user (system crontabs), then options: `-n` (mail only when the job fails) is
 *   the one cronie knows, and any other `-` at the start of a command is refused as a bad option.
 * - The command runs to the end of the line, trailing blanks included; a command (or user) starting with `*` is
 *   refused as "a common typo" (a sixth time field).
 * Time fields are checked by flow's schedule module, so a line's problem reads as in the rest of flow, followed by
 * the reason cron gives for the same line ("bad minute").
 */
import { ScheduleError, neverFiresReason, parseSchedule } from '../schedule/index.js';
import type { CrontabKind } from './types.js';

export interface Entry {
  schedule: string;
  user: string | null;
  /** The rest of the line: the command with its `%` stdin still in it. */
  command: string;
  noLog: boolean;
  mailOnFailureOnly: boolean;
}

export type EntryResult = { ok: true; entry: Entry } | { ok: false; message: string };

const FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';

function skipBlanks(text: string, pos: number): number {
  while (isBlank(text[pos])) pos++;
  return pos;
}

function wordEnd(text: string, pos: number): number {
  while (pos < text.length && !isBlank(text[pos])) pos++;
  return pos;
}

const fail = (message: string, cron?: string): EntryResult => ({ ok: false, message: cron === undefined ? message : `${message} (cron: ${cron})` });

export function parseEntry(text: string, options: { kind: CrontabKind; privileged: boolean }): EntryResult {
  let pos = 0;
  const noLog = text.startsWith('-');
  if (noLog) {
    if (!options.privileged) return fail('only root\'s crontab and system crontabs may start a line with "-" (do not log the command)', 'bad option');
    pos = 1;
    if (isBlank(text[pos])) return fail('"-" must be followed directly by the time fields', 'bad minute');
  }
  const timed = text[pos] === '@' ? preset(text, pos) : fields(text, pos);
  if ('message' in timed) return { ok: false, message: timed.message };
  const { schedule } = timed;
  pos = timed.end;
  if (text[pos] === '*') {
    return fail('the command starts with "*": a sixth time field? crontab(5) has five, and flow\'s seconds field is not crontab syntax', 'bad command');
  }

  let user: string | null = null;
  if (options.kind === 'system') {
    const end = wordEnd(text, pos);
    user = text.slice(pos, end);
    pos = skipBlanks(text, end);
    if (pos >= text.length) return fail(`a system crontab line names a user, then the command; found only "${user}"`, 'bad command');
  }

  let mailOnFailureOnly = false;
  while (text[pos] === '-') {
    const word = text.slice(pos, wordEnd(text, pos));
    if (word === '-n' && pos + 2 >= text.length) return fail('-n needs a command after it', 'bad option');
    if (word !== '-n') return fail(`the command starts with "${word}": cron reads a leading "-" as an option and knows only -n`, 'bad option');
    if (mailOnFailureOnly) return fail('-n is given twice', 'bad option');
    mailOnFailureOnly = true;
    pos = skipBlanks(text, pos + 2);
    if (pos >= text.length) return fail('no command after -n', 'bad command');
  }
  return { ok: true, entry: { schedule, user, command: text.slice(pos), noLog, mailOnFailureOnly } };
}

type Timed = { schedule: string; end: number } | { message: string };

function preset(text: string, pos: number): Timed {
  const end = wordEnd(text, pos);
  const schedule = text.slice(pos, end);
  const problem = scheduleProblem(schedule, 'bad time specifier');
  if (problem !== undefined) return { message: problem };
  const next = skipBlanks(text, end);
  if (next >= text.length) return { message: `no command after "${schedule}" (cron: bad command)` };
  return { schedule, end: next };
}

function fields(text: string, pos: number): Timed {
  const words: string[] = [];
  while (words.length < FIELDS.length && pos < text.length) {
    const end = wordEnd(text, pos);
    words.push(text.slice(pos, end));
    pos = skipBlanks(text, end);
  }
  if (words.length < FIELDS.length) {
    // cron reads the fields in order and stops at the first it cannot read: a bad value before the missing field
    // is what it reports, so check the fields that are there first.
    const present = scheduleProblem([...words, ...FIELDS.slice(words.length).map(() => '*')].join(' '));
    const missing = FIELDS[words.length] ?? 'day-of-week';
    return {
      message: present ?? `too few fields: a line has five time fields (minute hour day-of-month month day-of-week), then the command (cron: bad ${missing})`,
    };
  }
  const schedule = words.join(' ');
  const problem = scheduleProblem(schedule);
  if (problem !== undefined) return { message: problem };
  if (pos >= text.length) return { message: 'no command after the time fields (cron: bad command)' };
  return { schedule, end: pos };
}

/**
 * What is wrong with a schedule for flow, followed by cron's view: the reason cronie gives when it refuses the
 * same text, or a note that cronie loads it where flow is stricter (docs/schedules.md, "What flow refuses").
 */
function scheduleProblem(schedule: string, cronReason?: string): string | undefined {
  try {
    const parsed = parseSchedule(schedule);
    const never = neverFiresReason(parsed);
    return never === undefined ? undefined : `"${schedule}" never fires (${never}); cron loads it and never runs it`;
  } catch (error) {
    if (!(error instanceof ScheduleError)) throw error;
    if (cronieLoads(error.message)) return `${error.message} (cron loads this line; flow refuses it, see docs/schedules.md)`;
    return `${error.message} (cron: ${cronReason ?? `bad ${error.field ?? 'time specifier'}`})`;
  }
}

/**
 * The three things cronie 1.7 loads and flow refuses: a step larger than the field (cronie warns and keeps the
 * first value), a backwards range (an empty item) and `~` (a random value). A step of 0 cronie refuses too.
 */
function cronieLoads(message: string): boolean {
  const step = /\bstep (\d+) is out of range/.exec(message);
  if (step !== null) return Number(step[1]) > 0;
  return /is backwards|random pick/.test(message);
}
