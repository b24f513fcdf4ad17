/** One attempt of one task, whatever its kind, with its output in its own log file. */
import { closeSync, stat, write } from 'node:fs';
import { openPrivateSync } from '../util/private-fs.js';
import { promisify } from 'node:util';
import type { Pipeline, Task } from '../pipeline/types.js';
import type { Env } from '../util/paths.js';
import type { AttemptOutcome } from './events.js';
import { runFunctionTask } from './function-task.js';
import { spawnInGroup } from './process.js';
import { readTail, shellComplaint } from './shell-said.js';
import { taskEnv, type RunContext } from './task-env.js';
import type { RunAs } from './run-as.js';

// open and close are synchronous: they take microseconds, and a trip through the thread pool would add its
// latency to every task of a chain. Only the rare checks after a failed spawn go through the pool.
const writeFile = promisify(write);
const statPath = promisify(stat);

export interface AttemptRequest {
  pipeline: Pipeline;
  task: Task;
  run: RunContext;
  attempt: number;
  logFile: string;
  baseEnv: Env;
  signal: AbortSignal | undefined;
  force: AbortSignal | undefined;
  onSpawn: (pid: number) => void;
  runAs?: RunAs | undefined;
}

export async function runAttempt(request: AttemptRequest): Promise<AttemptOutcome> {
  const { task } = request;
  const fd = openPrivateSync(request.logFile, 'a');
  try {
    const env = taskEnv(request.baseEnv, request.pipeline, task, request.run, request.attempt, request.runAs);
    if (task.kind === 'function') {
      return await runFunctionTask({ ...request, env, outputFd: fd });
    }
    const outcome = await spawnInGroup({
      // A wrapped command runs as given: its arguments are never re-read by a shell.
      file: task.argv?.[0] ?? task.shell,
      args: task.argv === undefined ? ['-c', task.command ?? ''] : task.argv.slice(1),
      cwd: task.cwd,
      env,
      outputFd: fd,
      stdin: task.passStdin ? 'inherit' : task.stdin === undefined ? 'ignore' : { text: task.stdin },
      timeoutMs: task.timeoutMs,
      killGraceMs: task.killGraceMs,
      signal: request.signal,
      force: request.force,
      onSpawn: request.onSpawn,
      runAs: request.runAs,
    });
    if (outcome.error !== undefined) {
      // spawn says ENOENT both for a missing shell and a missing cwd; look only when it failed, not on every attempt.
      const cwdProblem = await checkCwd(task.cwd);
      if (cwdProblem !== undefined) outcome.error = cwdProblem;
      await writeFile(fd, `flow: ${outcome.error}\n`);
    }
    if (outcome.exitCode === 127 || outcome.exitCode === 126) outcome.shell = shellComplaint(readTail(request.logFile), outcome.exitCode);
    return outcome;
  } finally {
    closeSync(fd);
  }
}

async function checkCwd(cwd: string): Promise<string | undefined> {
  try {
    if (!(await statPath(cwd)).isDirectory()) return `cwd ${cwd} is not a directory`;
  } catch {
    return `cwd ${cwd} does not exist`;
  }
  return undefined;
}
