/**
 * One crontab job as a pipeline file: its schedule and CRON_TZ, the environment cron gave it and nothing else
 * (`inherit_env: false`), its command and `%` input, its owner's home as working directory (cron changes to HOME
 * before it runs a job, src/security.c), the crontab's SHELL, the owner for system jobs, and MAILTO as a hook.
 * Written with the yaml package so that any command or value is quoted right; the same job always gives the same
 * text, so an import run again can tell its own files from someone else's.
 */
import { Document } from 'yaml';
import { cronEnvironment } from './cron-env.js';
import type { MailPlan } from './mail.js';
import { zoneName } from './parse.js';
import type { Account, CrontabJob } from './types.js';

export interface PipelineSpec {
  name: string;
  job: CrontabJob;
  owner: Account;
  mail: MailPlan;
}

/** The task id of every imported pipeline. */
export const TASK_ID = 'job';

export function pipelineYaml({ name, job, owner, mail }: PipelineSpec): string {
  const env = cronEnvironment(job, owner);
  const task: Record<string, string | boolean> = { run: job.command };
  if (job.stdin !== null) task.stdin = job.stdin;
  // cron runs the command as `$SHELL -c command` with the crontab's SHELL (do_command.c); /bin/sh is flow's default.
  if (job.env.SHELL !== undefined) task.shell = job.env.SHELL;
  if (env.HOME !== undefined) task.cwd = env.HOME;
  // cron knows no skipped job: exit 99 is a failure like any other non-zero code, as it was under cron.
  task.skip_exit_code = false;
  // The task's hooks, not the pipeline's: they are told the task's log (FLOW_LOG_FILE) whether it failed or not.
  if (mail.hook !== undefined) for (const event of mail.events) task[event] = mail.hook;

  const doc = new Document({
    name,
    schedule: job.schedule,
    ...(job.timezone === null ? {} : { timezone: zoneName(job.timezone) }),
    ...(job.user === null ? {} : { user: job.user }),
    inherit_env: false,
    // cron starts a job at its time even while the previous run still goes; so does the imported pipeline.
    overlap: 'allow',
    env,
    tasks: { [TASK_ID]: task },
  });
  const notes = [
    `Imported by \`flow import-crontab\` from ${job.file}, line ${job.line}:`,
    `  ${printable(job.text)}`,
    ...wrap(mail.note),
    ...(job.noLog ? ['The line starts with "-": cron did not log the command to syslog.'] : []),
  ];
  doc.commentBefore = notes.map((line) => ` ${line}`).join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** A comment holds one line of text: control characters are shown, not written. */
function printable(text: string): string {
  return [...text]
    .map((ch) => {
      const code = ch.charCodeAt(0);
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
    })
    .join('');
}

function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of printable(text).split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
