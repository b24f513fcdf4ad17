/**
 * `flow run --name NAME -- COMMAND ARGS…`: one command as a one-task pipeline named NAME (its task too), so a
 * crontab line gains history, logs, retries and alerts without moving: `0 2 * * * flow run --name backup -- …`.
 * The command runs as given (no shell), in the current directory, with flow's environment and standard input.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { FlowError } from '../errors.js';
import { nameProblem } from '../pipeline/names.js';
import { DEFAULT_POOL } from '../pipeline/normalize.js';
import type { Pipeline } from '../pipeline/types.js';

export interface CommandRequest {
  name: string;
  argv: string[];
  retries: number;
  retryDelayMs: number;
  timeoutMs: number | undefined;
  cwd: string;
}

export function commandPipeline(request: CommandRequest): Pipeline {
  const wrong = nameProblem(request.name);
  if (wrong !== undefined) {
    throw new FlowError('E_USAGE', `--name: "${request.name}" ${wrong}`);
  }
  if (request.argv.length === 0 || request.argv[0] === '') throw new FlowError('E_USAGE', 'no command: write flow run --name NAME -- COMMAND [ARGS...]');
  return {
    name: request.name,
    file: '',
    format: 'yaml',
    description: undefined,
    tags: [],
    schedule: undefined,
    timezone: undefined,
    concurrency: availableParallelism(),
    env: {},
    inheritEnv: true,
    secrets: [],
    user: undefined,
    hooks: {},
    hookTimeoutMs: undefined,
    overlap: 'allow',
    maxActiveRuns: 16,
    catchup: false,
    catchupLimit: 100,
    params: {},
    tasks: [
      {
        id: request.name,
        kind: 'shell',
        description: undefined,
        command: request.argv.map(shellQuote).join(' '),
        argv: request.argv,
        passStdin: true,
        // A wrapped command reads this process's standard input: it always runs here, even in cluster mode.
        pool: DEFAULT_POOL,
        fn: undefined,
        dependsOn: [],
        retries: request.retries,
        retryDelayMs: request.retryDelayMs,
        retryBackoff: 'fixed',
        maxRetryDelayMs: request.retryDelayMs,
        timeoutMs: request.timeoutMs,
        killGraceMs: 10_000,
        env: {},
        cwd: resolve(request.cwd),
        shell: '/bin/sh',
        triggerRule: 'all_success',
        stdin: undefined,
        hooks: {},
      },
    ],
  };
}

/** For display only (history, summaries): the command as one would type it. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
