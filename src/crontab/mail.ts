/**
 * MAILTO as hooks of the job's task. cron mails a job's output whenever there is any, whatever its exit status, to
 * MAILTO, or to the owner when MAILTO is unset, and to nobody when it is empty (crontab(5); cronie's do_command.c
 * mails when the child wrote anything); with `-n`, only when the job also failed. So the hook runs on success and on
 * failure (only on failure with `-n` or `--mail-on-failure`), sends nothing when the attempt's log is empty, and
 * otherwise mails the whole log under the subject cron uses ("Cron <user@host> command"), so mail filters keep
 * working. The hook is a short readable script in the pipeline file, with every word from the crontab quoted.
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Account, CrontabJob } from './types.js';

export interface Mailer {
  kind: 'sendmail' | 'mail';
  path: string;
}

export interface MailPlan {
  /** The hook command, or undefined when there is none to give. */
  hook: string | undefined;
  /** The task's events that run it: on_success and on_failure as cron, on_failure alone for failure-only mail. */
  events: ('on_success' | 'on_failure')[];
  /** One line for the pipeline file's header: what cron did and what flow does instead. */
  note: string;
}

/** cronie's safe_p (src/do_command.c): it mails only to an address made of these, starting with a letter or digit. */
const SAFE_ADDRESS = /^[A-Za-z0-9][A-Za-z0-9@!:%\-.,_+]*$/;

export function mailPlan(job: Pick<CrontabJob, 'env' | 'command' | 'mailOnFailureOnly'>, owner: Account, mailer: Mailer | undefined, failureOnly = false): MailPlan {
  const mailto = job.env.MAILTO;
  const none = (note: string): MailPlan => ({ hook: undefined, events: [], note });
  if (mailto === '') return none('MAILTO is empty: cron mailed nothing, and neither does flow.');
  const to = mailto ?? owner.name;
  const whom = mailto === undefined ? `${to} (the owner: MAILTO is unset)` : to;
  if (to.includes('$')) {
    return none(`MAILTO="${to}" names variables, which cron expanded from its own environment; add an on_success and on_failure hook with the address.`);
  }
  if (!SAFE_ADDRESS.test(to)) {
    return none(`cron mailed nothing: it refuses MAILTO="${to}" as unsafe (it takes letters, digits and @!:%-.,_+ only).`);
  }
  const when = job.mailOnFailureOnly ? 'when the job failed and printed something (-n)' : 'whenever the job printed something';
  if (mailer === undefined) {
    return none(`cron mailed the output to ${whom} ${when}; this system has neither sendmail nor mail, so add an on_success and on_failure hook yourself.`);
  }
  const onFailure = job.mailOnFailureOnly || failureOnly;
  const flowDoes = onFailure ? 'flow mails the log when the job failed and printed something (on_failure)' : 'so does flow (on_success and on_failure, nothing when the log is empty)';
  return {
    hook: hookCommand(mailer, to.split(',').filter((address) => address !== ''), owner.name, job.command),
    events: onFailure ? ['on_failure'] : ['on_success', 'on_failure'],
    note: `cron mailed the output to ${whom} ${when}; ${flowDoes}.`,
  };
}

/** POSIX shell single quotes: nothing inside is special, and a quote is written as '\'' . */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

const HOST = '"$(uname -n | cut -d. -f1)"';

/** A few lines of shell: nothing printed, nothing sent (as cron); else the attempt's whole log, as cron's body. */
function hookCommand(mailer: Mailer, recipients: string[], user: string, command: string): string {
  const subject = `printf 'Cron <%s@%s> %s' ${shellQuote(user)} ${HOST} ${shellQuote(command)}`;
  const lines = ['# cron mails whatever the job printed (crontab(5)); an empty log sends nothing.', '[ -s "$FLOW_LOG_FILE" ] || exit 0'];
  if (mailer.kind === 'sendmail') {
    lines.push(
      '{',
      `  printf 'To: %s\\n' ${shellQuote(recipients.join(','))}`,
      `  printf 'Subject: %s\\n\\n' "$(${subject})"`,
      '  cat "$FLOW_LOG_FILE"',
      `} | ${shellQuote(mailer.path)} -i -t`,
    );
  } else {
    lines.push(`${shellQuote(mailer.path)} -s "$(${subject})" ${recipients.map(shellQuote).join(' ')} < "$FLOW_LOG_FILE"`);
  }
  return `${lines.join('\n')}\n`;
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
