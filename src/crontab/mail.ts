/**
 * MAILTO as an `on_failure` hook. cron mails a job's output, whenever there is any, to MAILTO, or to the owner when
 * MAILTO is unset, and to nobody when it is empty (crontab(5)); with `-n` only when the job also failed. flow has a
 * log for every run, so the hook mails when the job fails: the last lines of its log, which the hook reads on its
 * standard input, under the subject cron would use ("Cron <user@host> command"), so mail filters keep working.
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Account, CrontabJob } from './types.js';

export interface Mailer {
  kind: 'sendmail' | 'mail';
  path: string;
}

export interface MailPlan {
  /** The on_failure command, or undefined when there is none to give. */
  hook: string | undefined;
  /** One line for the pipeline file's header: what cron did and what flow does instead. */
  note: string;
}

/** cronie's safe_p (src/do_command.c): it mails only to an address made of these, starting with a letter or digit. */
const SAFE_ADDRESS = /^[A-Za-z0-9][A-Za-z0-9@!:%\-.,_+]*$/;

export function mailPlan(job: Pick<CrontabJob, 'env' | 'command' | 'mailOnFailureOnly'>, owner: Account, mailer: Mailer | undefined): MailPlan {
  const mailto = job.env.MAILTO;
  if (mailto === '') return { hook: undefined, note: 'MAILTO is empty: cron mailed nothing, and neither does flow.' };
  const to = mailto ?? owner.name;
  const whom = mailto === undefined ? `${to} (the owner: MAILTO is unset)` : to;
  if (to.includes('$')) {
    return { hook: undefined, note: `MAILTO="${to}" names variables, which cron expanded from its own environment; add an on_failure hook with the address.` };
  }
  if (!SAFE_ADDRESS.test(to)) {
    return { hook: undefined, note: `cron mailed nothing: it refuses MAILTO="${to}" as unsafe (it takes letters, digits and @!:%-.,_+ only).` };
  }
  const when = job.mailOnFailureOnly ? 'when the job failed and printed something (-n)' : 'whenever the job printed something';
  if (mailer === undefined) {
    return { hook: undefined, note: `cron mailed the output to ${whom} ${when}; this system has neither sendmail nor mail, so add an on_failure hook yourself.` };
  }
  return { hook: hookCommand(mailer, to.split(',').filter((address) => address !== ''), owner.name, job.command), note: `cron mailed the output to ${whom} ${when}; flow mails the end of the log when the job fails (on_failure).` };
}

/** POSIX shell single quotes: nothing inside is special, and a quote is written as '\'' . */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

const HOST = '"$(uname -n | cut -d. -f1)"';
const INTRO = `printf 'flow: %s %s (run %s); the end of its log:\\n\\n' "$FLOW_PIPELINE" "$FLOW_STATUS" "$FLOW_RUN_ID"`;

function hookCommand(mailer: Mailer, recipients: string[], user: string, command: string): string {
  const subject = [shellQuote(user), HOST, shellQuote(command)].join(' ');
  if (mailer.kind === 'sendmail') {
    const headers = `printf 'To: %s\\nSubject: Cron <%s@%s> %s\\n\\n' ${shellQuote(recipients.join(','))} ${subject}`;
    return `{ ${headers}; ${INTRO}; cat; } | ${shellQuote(mailer.path)} -i -t`;
  }
  const title = `"$(printf 'Cron <%s@%s> %s' ${subject})"`;
  return `{ ${INTRO}; cat; } | ${shellQuote(mailer.path)} -s ${title} ${recipients.map(shellQuote).join(' ')}`;
}

/** The mailer cron would use (sendmail, as cronie's MAILARG) or else mail(1), found on this system now. */
export function findMailer(path: string | undefined, executable: (file: string) => boolean = isExecutable): Mailer | undefined {
  const dirs = (path ?? '').split(':').filter((dir) => dir !== '');
  for (const file of ['/usr/sbin/sendmail', '/usr/lib/sendmail', ...dirs.map((dir) => join(dir, 'sendmail'))]) {
    if (executable(file)) return { kind: 'sendmail', path: file };
  }
  for (const file of dirs.flatMap((dir) => [join(dir, 'mail'), join(dir, 'mailx')])) {
    if (executable(file)) return { kind: 'mail', path: file };
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
