/**
 * A whole crontab, read line by line as cronie's load_user (src/user.c) reads it: blank lines and lines whose first
 * non-blank character is `#` are skipped (skip_comments in src/misc.c skips spaces and tabs only), every other line
 * is an assignment if load_env's rules take it (env-line.ts) and a job otherwise (entry-line.ts). An assignment
 * applies to the jobs below it. Lines cron refuses are reported with their numbers and never dropped silently.
 *
 * Two things flow does on purpose where a file is broken for cron too:
 * - A CRLF file: cron keeps the carriage return at the end of each command, and `sh` then looks for a program or
 *   file name ending in it; flow takes CRLF as a line ending and says so in a warning.
 * - A last line without a newline: cron ignores it ("missing newline before EOF") and crontab(1) refuses to
 *   install the file ("premature EOF"); flow reports it as an error and does not import it.
 */
import { isValidTimeZone } from '../util/timezone.js';
import { parseEntry } from './entry-line.js';
import { parseAssignment } from './env-line.js';
import { splitPercent } from './percent.js';
import type { CrontabJob, CrontabProblem, CrontabSource, ParsedCrontab } from './types.js';

/** cronie's limits for user crontabs (src/macros.h); beyond any of them it refuses the whole crontab. */
const MAX_GARBAGE = 32768;
const MAX_USER_ENVS = 1000;
const MAX_USER_ENTRIES = 10000;

export interface ParseOptions {
  /** The owner of a user crontab is root: its lines may start with `-`, as in system crontabs. */
  privileged?: boolean;
}

export function parseCrontab(source: CrontabSource, options: ParseOptions = {}): ParsedCrontab {
  const user = source.kind === 'user';
  const jobs: CrontabJob[] = [];
  const errors: CrontabProblem[] = [];
  const warnings: CrontabProblem[] = [];
  const problem = (line: number | null, message: string): CrontabProblem => ({ file: source.name, line, message });
  const refuseAll = (line: number, message: string): ParsedCrontab => ({ file: source.name, jobs: [], errors: [problem(line, `${message}; cron refuses to load this crontab`)], warnings: [] });

  const lines = source.text.split('\n');
  const terminated = source.text.endsWith('\n');
  if (terminated) lines.pop();
  const env = new Map<string, string>();
  let garbage = 0;
  let envs = 0;
  let entries = 0;
  let crlf: number | undefined;

  for (const [index, raw] of lines.entries()) {
    const number = index + 1;
    const last = index === lines.length - 1 && !terminated;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const rest = line.replace(/^[ \t]+/, '');
    if (rest === '' || rest.startsWith('#')) {
      // skip_comments counts every character it passes, newline included, from one active line to the next.
      garbage += raw.length + (last ? 0 : 1);
      if (user && garbage > MAX_GARBAGE) return refuseAll(number, `more than ${MAX_GARBAGE} characters of comments and blank lines in a row`);
      continue;
    }
    garbage += 1 + line.length - rest.length;
    if (user && garbage > MAX_GARBAGE) return refuseAll(number, `more than ${MAX_GARBAGE} characters of comments and blank lines in a row`);
    garbage = 0;
    if (last) {
      errors.push(problem(number, 'the file does not end with a newline: cron ignores its last line (missing newline before EOF)'));
      break;
    }

    const assignment = parseAssignment(rest);
    if (assignment !== undefined) {
      if (user && ++envs > MAX_USER_ENVS) return refuseAll(number, `more than ${MAX_USER_ENVS} environment lines`);
      if (assignment.name === '') errors.push(problem(number, 'an assignment needs a name before "="'));
      else env.set(assignment.name, assignment.value);
      continue;
    }
    if (user && ++entries > MAX_USER_ENTRIES) return refuseAll(number, `more than ${MAX_USER_ENTRIES} job lines`);
    const result = parseEntry(rest, { kind: source.kind, privileged: !user || options.privileged === true });
    if (!result.ok) {
      errors.push(problem(number, result.message));
      continue;
    }
    const { entry } = result;
    // find_jobs (src/cron.c) evaluates each job in its own CRON_TZ; an empty value means the daemon's zone.
    const timezone = env.get('CRON_TZ') || null;
    if (timezone !== null && !isValidTimeZone(zoneName(timezone))) {
      errors.push(problem(number, `CRON_TZ="${timezone}" is not a time zone flow knows (use an IANA name such as Europe/Berlin or UTC)`));
      continue;
    }
    if (raw !== line) crlf ??= number;
    const delay = randomDelay(env.get('RANDOM_DELAY'));
    if (delay !== undefined) {
      warnings.push(problem(number, `RANDOM_DELAY=${delay}: cron started this job up to ${delay} minutes late, a random amount; flow starts it on time`));
    }
    jobs.push({
      file: source.name,
      line: number,
      text: line,
      schedule: entry.schedule,
      timezone,
      user: entry.user,
      ...splitPercent(entry.command),
      env: Object.fromEntries(env),
      noLog: entry.noLog,
      mailOnFailureOnly: entry.mailOnFailureOnly,
    });
  }
  if (crlf !== undefined) {
    warnings.push(problem(crlf, 'CRLF line endings: cron passes the carriage return to the shell at the end of each command, which breaks most of them; flow reads CRLF as a line ending'));
  }
  return { file: source.name, jobs, errors, warnings };
}

/** glibc reads `TZ=:Europe/Berlin` as the zone file Europe/Berlin; the colon is not part of the name. */
export function zoneName(value: string): string {
  return value.startsWith(':') ? value.slice(1) : value;
}

/** The delay cronie's load_entry takes from RANDOM_DELAY (strtol, 0 to 1440 minutes), when there is one. */
function randomDelay(value: string | undefined): number | undefined {
  const match = /^[ \t\n\r\v\f]*([+-]?\d+)/.exec(value ?? '');
  const minutes = match === null ? 0 : Number(match[1]);
  return minutes > 0 && minutes <= 24 * 60 ? minutes : undefined;
}
