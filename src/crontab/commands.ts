/**
 * The few programs an import runs: crontab(1) to read and install the user's crontab, getent(1) to look up a
 * system job's user. Each goes through `runProgram`: no shell, a fixed environment, a timeout, and bytes in and out,
 * since `--replace` then `--undo` must give back the crontab byte for byte whatever its encoding.
 */
import { execa } from 'execa';
import { FlowError } from '../errors.js';
import type { Account } from './types.js';
import { lookupAccount as lookupSystemAccount } from '../util/accounts.js';

export type Env = Readonly<Record<string, string | undefined>>;

interface Ran {
  exitCode: number | undefined;
  stdout: Buffer;
  stderr: string;
  /** Set when the program could not be started or did not finish: ENOENT, a timeout. */
  failure: string | undefined;
  missing: boolean;
}

const TIMEOUT_MS = 30_000;

async function runProgram(file: string, args: string[], env: Env, input?: Buffer): Promise<Ran> {
  const result = await execa(file, args, {
    env: env as Record<string, string>,
    extendEnv: false,
    reject: false,
    timeout: TIMEOUT_MS,
    encoding: 'buffer',
    stripFinalNewline: false,
    ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
  });
  const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  const failure = result.timedOut ? `timed out after ${TIMEOUT_MS / 1000}s` : result.failed && result.exitCode === undefined ? result.shortMessage : undefined;
  return {
    exitCode: result.exitCode,
    stdout: Buffer.from(result.stdout),
    stderr: Buffer.from(result.stderr).toString('utf8').trim(),
    failure,
    missing,
  };
}

function crontabFailed(what: string, ran: Ran): FlowError {
  if (ran.missing) {
    return new FlowError('E_NOT_FOUND', `cannot ${what}: there is no crontab program on PATH`, { hint: 'give the crontab as a FILE, or - for standard input' });
  }
  const why = ran.failure ?? (ran.stderr || `exit code ${String(ran.exitCode)}`);
  return new FlowError('E_USAGE', `cannot ${what}: crontab: ${why}`);
}

/** `crontab -l`: the user's crontab as bytes; empty when the user has none ("no crontab for alice"). */
export async function readUserCrontab(env: Env): Promise<Buffer> {
  const ran = await runProgram('crontab', ['-l'], env);
  if (ran.exitCode === 0) return ran.stdout;
  if (/^no crontab for /m.test(ran.stderr)) return Buffer.alloc(0);
  throw crontabFailed('read your crontab (crontab -l)', ran);
}

/** `crontab -`: installs `content` as the user's crontab. */
export async function installUserCrontab(content: Buffer, env: Env): Promise<void> {
  const ran = await runProgram('crontab', ['-'], env, content);
  if (ran.exitCode !== 0) throw crontabFailed('install your crontab (crontab -)', ran);
}

/** A user as cron finds it with getpwnam (util/accounts.ts). */
export async function lookupAccount(name: string, env: Env): Promise<Account | undefined> {
  const account = await lookupSystemAccount(name, env);
  return account === undefined ? undefined : { name: account.name, uid: account.uid, home: account.home };
}
