/** One attempt of one task, whatever its kind, with its output in its own log file. */
import { closeSync, stat, write } from 'node:fs';
import { openPrivateSync } from '../util/private-fs.js';
import { promisify } from 'node:util';
import type { Pipeline, Task } from '../pipeline/types.js';
import type { Env } from '../util/paths.js';
import type { AttemptOutcome } from './events.js';
import { runFunctionTask } from './function-task.js';
import { secretValues } from './mask.js';
import { spawnInGroup } from './process.js';
import { readTail, shellComplaint } from './shell-said.js';
import { plainCommand } from './plain-command.js';
import { taskEnv, type RunContext } from './task-env.js';
import { checkCondition } from './condition.js';
import { collectShell, collectValue, prepareTaskFiles, removeTaskFiles, type TaskFiles } from './task-files.js';
import type { RunAs } from './run-as.js';

// open and close are synchronous: they take microseconds, and a trip through the thread pool would add its
// latency to every task of a chain. Only the rare checks after a failed spawn go through the pool.
const writeFile = promisify(write);
const statPath = promisify(stat);
const DEFAULT_SHELL = '/bin/sh';

export interface AttemptRequest {
  pipeline: Pipeline;
  task: Task;
  run: RunContext;
  attempt: number;
  logFile: string;
  baseEnv: Env;
  signal: AbortSignal | undefined;
  force: AbortSignal | undefined;
  /** The attempt has started: its process's pid here, undefined when it runs elsewhere (a cluster worker). */
  onSpawn: (pid: number | undefined) => void;
  runAs?: RunAs | undefined;
  /** `FLOW_OUT_*` from the outputs of the tasks upstream. */
  inputs?: Record<string, string> | undefined;
  /** The task's direct downstream tasks, which a branch task may name. */
  downstream?: readonly string[] | undefined;
}

/**
 * How the executor has an attempt run: `runAttempt` here, or a cluster's remote runner that puts it on its pool's
 * queue (src/cluster/remote-runner.ts). Whatever runs it writes the attempt's output to `request.logFile`.
 */
export type AttemptRunner = (request: AttemptRequest) => Promise<AttemptOutcome>;

export async function runAttempt(request: AttemptRequest): Promise<AttemptOutcome> {
  const { task } = request;
  const fd = openPrivateSync(request.logFile, 'a');
  const files = prepareTaskFiles(request.logFile, task, request.runAs);
  try {
    const env = { ...taskEnv(request.baseEnv, request.pipeline, task, request.run, request.attempt, request.runAs), ...request.inputs, ...files.env };
    const outcome = await attemptOf(request, env, fd, files);
    // The task's answers go in its log too, beside its own output.
    if (outcome.skip === undefined && outcome.error !== undefined && outcome.exitCode === 0) await writeFile(fd, `flow: ${outcome.error}\n`);
    if (outcome.skip !== undefined && task.when === undefined) await writeFile(fd, `flow: task skipped: ${outcome.skip}\n`);
    if (outcome.shortCircuit !== undefined) await writeFile(fd, `flow: short-circuit (${outcome.shortCircuit}): the tasks downstream are skipped\n`);
    return outcome;
  } finally {
    closeSync(fd);
    removeTaskFiles(files);
  }
}

async function attemptOf(request: AttemptRequest, env: Record<string, string>, fd: number, files: TaskFiles): Promise<AttemptOutcome> {
  const { task } = request;
  const downstream = request.downstream ?? [];
  // Secret values in the task's environment are masked in its log (mask.ts).
  const secrets = secretValues(env, request.pipeline.secrets);
  if (task.when !== undefined) {
    const said = await checkCondition({ task: { ...task, when: task.when }, env, outputFd: fd, signal: request.signal, force: request.force, runAs: request.runAs, onSpawn: request.onSpawn, secrets });
    if (said !== undefined) return said;
  }
  if (task.kind === 'function') {
    const { value, ...outcome } = await runFunctionTask({ ...request, env, outputFd: fd, secrets });
    if (outcome.exitCode === 0 && outcome.error === undefined && !outcome.timedOut && !outcome.cancelled) collectValue(outcome, task, value, downstream);
    return outcome;
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
    secrets,
    // Plain words for the default shell need none (plain-command.ts); another shell is asked for by name, so it runs.
    direct: task.argv === undefined && task.shell === DEFAULT_SHELL && request.runAs === undefined ? plainCommand(task.command ?? '', task.cwd, env) : undefined,
  });
  if (outcome.error !== undefined) {
    // spawn says ENOENT both for a missing shell and a missing cwd; look only when it failed, not on every attempt.
    const cwdProblem = await checkCwd(task.cwd);
    if (cwdProblem !== undefined) outcome.error = cwdProblem;
    await writeFile(fd, `flow: ${outcome.error}\n`);
    return outcome;
  }
  if (outcome.exitCode === 127 || outcome.exitCode === 126) outcome.shell = shellComplaint(readTail(request.logFile), outcome.exitCode);
  return judgeShell(outcome, task, files, downstream);
}

/** What a shell attempt's exit means for its task: its skip_exit_code, a short-circuit, or outputs and a branch to read. */
function judgeShell(outcome: AttemptOutcome, task: Task, files: TaskFiles, downstream: readonly string[]): AttemptOutcome {
  if (outcome.timedOut || outcome.cancelled || outcome.exitCode === undefined) return outcome;
  if (outcome.exitCode === task.skipExitCode) return { ...outcome, skip: `exit code ${outcome.exitCode} (skip_exit_code)` };
  // The shell saying the command was not found or not executable is a fault, not an answer.
  if (outcome.exitCode !== 0 && task.shortCircuit === true && outcome.shell === undefined) {
    return { ...outcome, shortCircuit: `exit code ${outcome.exitCode}` };
  }
  if (outcome.exitCode === 0) collectShell(outcome, files, downstream);
  return outcome;
}

async function checkCwd(cwd: string): Promise<string | undefined> {
  try {
    if (!(await statPath(cwd)).isDirectory()) return `cwd ${cwd} is not a directory`;
  } catch {
    return `cwd ${cwd} does not exist`;
  }
  return undefined;
}
