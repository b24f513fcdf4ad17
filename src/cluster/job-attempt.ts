/**
 * An attempt as a job and back: the scheduler puts what the worker needs of the pipeline and the task in the job,
 * and the worker rebuilds the request `runAttempt` takes, so a task runs through the same code on either host.
 */
import type { AttemptRequest } from '../engine/attempt.js';
import type { Trigger } from '../engine/events.js';
import type { Pipeline, Task } from '../pipeline/types.js';
import type { Env } from '../util/paths.js';
import { FLOW_RELEASE, PROTOCOL, type TaskJob } from './protocol.js';

/**
 * Whether the attempt can go to a worker: a shell task that reads no standard input of this process. A function
 * task lives in this process's memory and a wrapped command reads this process's stdin: they run here.
 */
export function runsRemotely(task: Task): boolean {
  return task.kind === 'shell' && task.passStdin !== true;
}

export function jobOf(request: AttemptRequest): TaskJob {
  const { pipeline, task } = request;
  return {
    protocol: PROTOCOL,
    flow: FLOW_RELEASE,
    pool: task.pool,
    pipeline: { name: pipeline.name, env: pipeline.env, inheritEnv: pipeline.inheritEnv, secrets: pipeline.secrets },
    task: {
      id: task.id,
      command: task.command,
      argv: task.argv,
      shell: task.shell,
      cwd: task.cwd,
      env: task.env,
      stdin: task.stdin,
      timeoutMs: task.timeoutMs,
      killGraceMs: task.killGraceMs,
      skipExitCode: task.skipExitCode,
      when: task.when,
      shortCircuit: task.shortCircuit,
      branch: task.branch,
    },
    run: { ...request.run },
    attempt: request.attempt,
    inputs: request.inputs,
    downstream: request.downstream === undefined ? undefined : [...request.downstream],
  };
}

/** The worker's side: the request for `runAttempt`, with this host's environment as the base one. */
export function requestOf(job: TaskJob, options: { logFile: string; baseEnv: Env; signal: AbortSignal; force: AbortSignal }): AttemptRequest {
  const given = job.task;
  const task: Task = {
    id: given.id,
    kind: 'shell',
    description: undefined,
    command: given.command,
    argv: given.argv,
    fn: undefined,
    dependsOn: [],
    retries: 0,
    retryDelayMs: 0,
    retryBackoff: 'fixed',
    maxRetryDelayMs: 0,
    timeoutMs: given.timeoutMs,
    killGraceMs: given.killGraceMs,
    env: given.env,
    cwd: given.cwd,
    shell: given.shell,
    triggerRule: 'all_success',
    stdin: given.stdin,
    skipExitCode: given.skipExitCode,
    when: given.when,
    shortCircuit: given.shortCircuit,
    branch: given.branch,
    pool: job.pool,
    hooks: {},
  };
  const pipeline = {
    name: job.pipeline.name,
    env: job.pipeline.env,
    inheritEnv: job.pipeline.inheritEnv,
    secrets: job.pipeline.secrets,
    tasks: [task],
  } as unknown as Pipeline;
  return {
    pipeline,
    task,
    run: { ...job.run, trigger: job.run.trigger as Trigger },
    attempt: job.attempt,
    logFile: options.logFile,
    baseEnv: options.baseEnv,
    signal: options.signal,
    force: options.force,
    onSpawn: () => undefined,
    inputs: job.inputs,
    downstream: job.downstream,
  };
}
