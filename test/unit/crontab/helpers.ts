/** Shared by the crontab tests: the fixtures, captured output streams, and the `--json` shape of a parse. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../../src/cli/ui.js';
import type { ParsedCrontab } from '../../../src/crontab/index.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'crontabs');

export interface ExpectedJob {
  file?: string;
  line: number;
  schedule: string;
  timezone: string | null;
  user: string | null;
  command: string;
  stdin: string | null;
  env: Record<string, string>;
}

export interface Expected {
  jobs: ExpectedJob[];
  errors: { file?: string; line: number | null; message: string }[];
}

export function readExpected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Expected;
}

export function jsonOfJobs(parsed: ParsedCrontab): Expected {
  return {
    jobs: parsed.jobs.map((job) => ({
      line: job.line,
      schedule: job.schedule,
      timezone: job.timezone,
      user: job.user,
      command: job.command,
      stdin: job.stdin,
      env: job.env,
    })),
    errors: parsed.errors.map((error) => ({ line: error.line, message: error.message })),
  };
}

function stream(): NodeJS.WriteStream & { text: string } {
  const out = { text: '', isTTY: false, write: (chunk: string) => ((out.text += chunk), true) };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

/** An Io whose streams keep what is written; `env` is NO_COLOR plus what is given. */
export function capture(env: Record<string, string> = {}): { io: Io; readonly stdout: string; readonly stderr: string } {
  const stdout = stream();
  const stderr = stream();
  return {
    io: { stdout, stderr, env: { NO_COLOR: '1', PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } },
    get stdout() {
      return stdout.text;
    },
    get stderr() {
      return stderr.text;
    },
  };
}
