/** One attempt of one task, whatever its kind, with its output in its own log file. */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import type { Pipeline, Task } from '../pipeline/types.js';
import type { Env } from '../util/paths.js';
import type { AttemptOutcome } from './events.js';
import { runFunctionTask } from './function-task.js';
import { spawnInGroup } from './process.js';
import { taskEnv, type RunContext } from './task-env.js';

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
}

export async function runAttempt(request: AttemptRequest): Promise<AttemptOutcome> {
  const { task } = request;
  const fd = openSync(request.logFile, 'a');
  try {
    const env = taskEnv(request.baseEnv, request.pipeline, task, request.run, request.attempt);
    if (task.kind === 'function') {
      return await runFunctionTask({ ...request, env, outputFd: fd });
    }
    const problem = checkCwd(task.cwd);
    if (problem !== undefined) return startFailure(fd, problem);
    const outcome = await spawnInGroup({
      file: task.shell,
      args: ['-c', task.command ?? ''],
      cwd: task.cwd,
      env,
      outputFd: fd,
      timeoutMs: task.timeoutMs,
      killGraceMs: task.killGraceMs,
      signal: request.signal,
      force: request.force,
      onSpawn: request.onSpawn,
    });
    if (outcome.error !== undefined) writeSync(fd, `flow: ${outcome.error}\n`);
    return outcome;
  } finally {
    closeSync(fd);
  }
}

function checkCwd(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) return `cwd ${cwd} is not a directory`;
  } catch {
    return `cwd ${cwd} does not exist`;
  }
  return undefined;
}

function startFailure(fd: number, error: string): AttemptOutcome {
  writeSync(fd, `flow: ${error}\n`);
  return { exitCode: undefined, signal: undefined, timedOut: false, cancelled: false, error };
}
