/**
 * From what was read to what would be written: one pipeline file per job, named from its command, and for each
 * whether it is new, already there with the same text (an earlier import), or in the way of a different file,
 * which is never overwritten. Plain data, so `--dry-run` can show it and the writer and `--replace` can act on it.
 */
import { join } from 'node:path';
import { mailPlan, type Mailer } from './mail.js';
import { nameForCommand, uniqueNames } from './naming.js';
import { pipelineYaml } from './pipeline-file.js';
import type { Account, CrontabJob, CrontabProblem, ParsedCrontab } from './types.js';

export type PlannedState = 'new' | 'identical' | 'conflict';

export interface PlannedPipeline {
  name: string;
  /** Absolute path of the pipeline file. */
  file: string;
  job: CrontabJob;
  text: string;
  state: PlannedState;
}

export interface ImportPlan {
  dir: string;
  pipelines: PlannedPipeline[];
  /** What was refused: lines cron refuses, and jobs cron could not run (an unknown user). */
  errors: CrontabProblem[];
  warnings: CrontabProblem[];
}

export interface PlanWorld {
  /** The pipelines directory. */
  dir: string;
  /** The owner of a user crontab. */
  owner: Account;
  /** Owners of system jobs, by the name in their sixth field; absent: no such user. */
  accounts: ReadonlyMap<string, Account>;
  mailer: Mailer | undefined;
  /** `--mail-on-failure`: mail only when the job failed (and printed something), as `-n` lines. */
  mailOnFailure?: boolean;
  /** The text of a file that is already there, or undefined. */
  existing: (file: string) => string | undefined;
}

export function planImport(crontabs: readonly ParsedCrontab[], world: PlanWorld): ImportPlan {
  const errors = crontabs.flatMap((crontab) => crontab.errors);
  const warnings = crontabs.flatMap((crontab) => crontab.warnings);
  const jobs = crontabs.flatMap((crontab) => crontab.jobs);
  // Names are given over every job that was read, refused here or not, so a job that becomes importable later
  // does not rename the ones after it.
  const names = uniqueNames(jobs.map((job) => nameForCommand(job.command)));
  const ready: { job: CrontabJob; owner: Account; name: string }[] = [];
  jobs.forEach((job, index) => {
    const refuse = (message: string): void => void errors.push({ file: job.file, line: job.line, message });
    const owner = job.user === null ? world.owner : world.accounts.get(job.user);
    if (owner === undefined) {
      const looksLikeCommand = job.user?.includes('/') === true ? '; a system crontab line names the user before the command' : '';
      refuse(`user "${job.user ?? ''}" does not exist: cron loads the line but cannot run it${looksLikeCommand}`);
    } else if (job.env.SHELL === '') {
      refuse('SHELL is empty: cron cannot start the job');
    } else if ((job.env.HOME ?? owner.home) === '') {
      refuse(`user "${owner.name}" has no home directory: cron cannot change to it and does not run the job`);
    } else {
      ready.push({ job, owner, name: names[index] ?? 'job' });
    }
  });
  const order = new Map(crontabs.map((crontab, index) => [crontab.file, index]));
  errors.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0));

  const pipelines = ready.map(({ job, owner, name }): PlannedPipeline => {
    const file = join(world.dir, `${name}.flow.yaml`);
    const text = pipelineYaml({ name, job, owner, mail: mailPlan(job, owner, world.mailer, world.mailOnFailure === true) });
    const existing = world.existing(file);
    return { name, file, job, text, state: existing === undefined ? 'new' : existing === text ? 'identical' : 'conflict' };
  });
  return { dir: world.dir, pipelines, errors, warnings };
}
