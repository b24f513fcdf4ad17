/**
 * Runs one hook command: `/bin/sh -c COMMAND` in its own process group, with the event's context in its
 * environment and the log tail on stdin, ended at its timeout like a task (SIGTERM to the group, SIGKILL a second
 * later). Its stdout and stderr go to files next to the run's logs; the first line of stderr says why it failed.
 */
import { close } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { spawnInGroup } from '../engine/process.js';
import type { HookResult } from '../engine/events.js';
import { describeOutcome } from '../engine/outcome.js';
import { firstLine } from '../store/log-files.js';
import { ensurePrivateDir, openPrivateSync } from '../util/private-fs.js';
import { isoWithOffset } from '../util/time.js';

const closeFile = promisify(close);
const HOOK_KILL_GRACE_MS = 1000;

export interface HookJob {
  event: HookResult['event'];
  task: string | null;
  source: HookResult['source'];
  command: string;
  cwd: string;
  env: Record<string, string>;
  stdin: string;
  timeoutMs: number;
  /** Where its output goes: `<dir>/<name>.out` and `.err`. */
  dir: string;
  name: string;
  /** Values masked in its output (mask.ts). */
  secrets: readonly string[];
}

export async function runHook(job: HookJob): Promise<HookResult> {
  // The run's log directory was made and checked when the run started; `hooks/` below it is checked here.
  ensurePrivateDir(dirname(job.dir), job.dir);
  const out = join(job.dir, `${job.name}.out`);
  const err = join(job.dir, `${job.name}.err`);
  const outFd = openPrivateSync(out, 'w');
  let errFd: number;
  try {
    errFd = openPrivateSync(err, 'w');
  } catch (error) {
    await closeFile(outFd);
    throw error;
  }
  const started = new Date();
  let outcome;
  try {
    outcome = await spawnInGroup({
      file: '/bin/sh',
      args: ['-c', job.command],
      cwd: job.cwd,
      env: job.env,
      outputFd: outFd,
      errorFd: errFd,
      stdin: { text: job.stdin },
      timeoutMs: job.timeoutMs,
      killGraceMs: HOOK_KILL_GRACE_MS,
      secrets: job.secrets,
    });
  } finally {
    await closeFile(outFd);
    await closeFile(errFd);
  }
  const firstErrorLine = firstLine(err);
  const failure = describeOutcome(outcome, job.timeoutMs);
  return {
    event: job.event,
    task: job.task,
    command: job.command,
    source: job.source,
    started_at: isoWithOffset(started),
    duration_ms: Date.now() - started.getTime(),
    exit_code: outcome.exitCode ?? null,
    signal: outcome.signal ?? null,
    timed_out: outcome.timedOut,
    error: failure === undefined ? null : outcome.timedOut || outcome.error !== undefined ? failure : (firstErrorLine ?? failure),
    log: out,
  };
}
