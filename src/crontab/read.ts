/**
 * Where an import reads from, and reading it: a user crontab from a file, standard input or `crontab -l`; system
 * crontabs from files or from /etc/crontab and /etc/cron.d. Then the plan, with the world it needs looked up: the
 * owners of system jobs, the mailer, the files already in the pipelines directory.
 */
import { readFileSync } from 'node:fs';
import { lookupAccount, readUserCrontab, type Env } from './commands.js';
import type { Mailer } from './mail.js';
import { parseCrontab } from './parse.js';
import { planImport, type ImportPlan } from './plan.js';
import { readSystemCrontabs, readText, SYSTEM_LOCATIONS, type SystemLocations } from './system-files.js';
import type { Account, CrontabProblem, CrontabSource, ParsedCrontab } from './types.js';

export const USER_CRONTAB = 'crontab -l';

export interface ReadRequest {
  /** Paths, `-` for standard input; none: `crontab -l`, or with `system` the system locations. */
  files: readonly string[];
  system: boolean;
  env: Env;
  readStdin: () => Promise<string>;
  /** The owner of a user crontab is root (lines may start with `-`). */
  privileged: boolean;
  locations?: SystemLocations;
  /** Require system crontabs in the system locations to be owned by root, as cron does. */
  checkOwner?: boolean;
}

export interface ReadResult {
  crontabs: ParsedCrontab[];
  /** System crontabs cron does not read (mode, owner). */
  skipped: CrontabProblem[];
  /** The bytes of `crontab -l`, when that is where the crontab came from. */
  userCrontab: Buffer | undefined;
}

export async function readCrontabs(request: ReadRequest): Promise<ReadResult> {
  const kind = request.system ? 'system' : 'user';
  const options = { privileged: request.privileged };
  if (request.files.length === 0 && !request.system) {
    const bytes = await readUserCrontab(request.env);
    const source: CrontabSource = { name: USER_CRONTAB, kind, text: bytes.toString('utf8') };
    return { crontabs: [parseCrontab(source, options)], skipped: [], userCrontab: bytes };
  }
  if (request.files.length === 0) {
    const read = await readSystemCrontabs(request.locations ?? SYSTEM_LOCATIONS, { checkOwner: request.checkOwner ?? true });
    return { crontabs: read.sources.map((source) => parseCrontab(source, options)), skipped: read.skipped, userCrontab: undefined };
  }
  const crontabs: ParsedCrontab[] = [];
  let stdin: string | undefined;
  for (const file of request.files) {
    const text = file === '-' ? (stdin ??= await request.readStdin()) : await readText(file);
    crontabs.push(parseCrontab({ name: file, kind, text }, options));
  }
  return { crontabs, skipped: [], userCrontab: undefined };
}

export interface PlanRequest {
  dir: string;
  owner: Account;
  env: Env;
  mailer: Mailer | undefined;
  /** `--mail-on-failure`: mail only when the job failed and printed something. */
  mailOnFailure?: boolean;
  /** Looks up a system job's user (default: getent passwd). */
  lookup?: (name: string) => Promise<Account | undefined>;
}

export async function prepareImport(crontabs: readonly ParsedCrontab[], request: PlanRequest): Promise<ImportPlan> {
  const lookup = request.lookup ?? ((name: string) => lookupAccount(name, request.env));
  const names = [...new Set(crontabs.flatMap((crontab) => crontab.jobs.flatMap((job) => (job.user === null ? [] : [job.user]))))];
  const accounts = new Map<string, Account>();
  for (const name of names) {
    const account = await lookup(name);
    if (account !== undefined) accounts.set(name, account);
  }
  return planImport(crontabs, { dir: request.dir, owner: request.owner, accounts, mailer: request.mailer, mailOnFailure: request.mailOnFailure === true, existing: readIfThere });
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
