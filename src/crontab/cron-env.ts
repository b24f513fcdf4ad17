/**
 * The environment cron gives a job, built the way cronie's load_entry (src/entry.c) builds it on top of the
 * crontab's own assignments:
 *
 * - SHELL=/bin/sh unless the crontab sets SHELL;
 * - HOME from the owner's passwd entry unless the crontab sets HOME (env_update_home, src/env.c);
 * - PATH=/usr/bin:/bin:/usr/sbin:/sbin unless the crontab sets PATH: cronie sets its own PATH to glibc's
 *   _PATH_STDPATH at start-up (src/cron.c, unless started with -P) and gives it to jobs;
 * - LOGNAME and USER: the owner's name, always (crontab(5): "LOGNAME can not" be overridden).
 *
 * Assignments keep the place of their first appearance, as env_set replaces a variable in place. cronie also passes
 * on its own LANG, LC_* and MAILFROM, and PAM may add variables (pam_env); those belong to the cron daemon's
 * system, not to the crontab, and are left out (docs/crontab.md).
 */
import type { Account, CrontabJob } from './types.js';

export const CRON_SHELL = '/bin/sh';
export const CRON_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

export function cronEnvironment(job: Pick<CrontabJob, 'env'>, owner: Account): Record<string, string> {
  const env: Record<string, string> = { ...job.env };
  env.SHELL ??= CRON_SHELL;
  if (env.HOME === undefined && owner.home !== '') env.HOME = owner.home;
  env.PATH ??= CRON_PATH;
  env.LOGNAME = owner.name;
  env.USER = owner.name;
  return env;
}
