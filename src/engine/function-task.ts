/**
 * TypeScript function tasks run inside the runner process. A timeout or a stop aborts `context.signal`; a function
 * that ignores it is abandoned after the task's kill grace and the attempt ends as timed out (or cancelled).
 */
import { writeSync } from 'node:fs';
import { maskText } from './mask.js';
import { format } from 'node:util';
import type { Pipeline, Task, TaskContext } from '../pipeline/types.js';
import type { AttemptOutcome } from './events.js';
import type { RunContext } from './task-env.js';
import { setLongTimeout } from '../util/long-timer.js';

export interface FunctionAttempt {
  pipeline: Pipeline;
  task: Task;
  run: RunContext;
  attempt: number;
  env: Record<string, string>;
  outputFd: number;
  signal: AbortSignal | undefined;
  /** Values written as `***` (each write is a whole line, so none can arrive split). */
  secrets?: readonly string[];
}

/** Thrown by `context.skip()`: the task ends skipped. */
class SkipTask extends Error {
  override readonly name = 'SkipTask';
}

export async function runFunctionTask(request: FunctionAttempt): Promise<AttemptOutcome & { value?: unknown }> {
  const { task, outputFd } = request;
  const outcome: AttemptOutcome & { value?: unknown } = { exitCode: undefined, signal: undefined, timedOut: false, cancelled: false, error: undefined };
  const controller = new AbortController();
  const write = (level: string) => (...parts: unknown[]): void => {
    writeSync(outputFd, maskText(`${level}${format(...parts)}\n`, request.secrets ?? []));
  };
  const context: TaskContext = {
    pipeline: request.pipeline.name,
    task: task.id,
    runId: request.run.runId,
    attempt: request.attempt,
    trigger: request.run.trigger,
    logicalDate: request.run.logicalDate,
    ds: request.run.ds,
    env: request.env,
    signal: controller.signal,
    skip: (reason?: string): never => {
      throw new SkipTask(reason ?? 'context.skip()');
    },
    log: write(''),
    logger: { info: write(''), warn: write('warning: '), error: write('error: ') },
  };

  let settle: () => void = () => undefined;
  const abandoned = new Promise<'abandoned'>((resolve) => {
    settle = () => setLongTimeout(() => resolve('abandoned'), task.killGraceMs).unref();
  });
  const stop = (why: 'timeout' | 'cancel'): void => {
    if (controller.signal.aborted) return;
    if (why === 'timeout') {
      outcome.timedOut = true;
      outcome.timedOutAt = new Date();
    } else outcome.cancelled = true;
    controller.abort(why === 'timeout' ? new Error('timed out') : new Error('cancelled'));
    settle();
  };
  const timer = task.timeoutMs === undefined ? undefined : setLongTimeout(() => stop('timeout'), task.timeoutMs);
  const onAbort = (): void => stop('cancel');
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const fn = task.fn;
    if (fn === undefined) throw new Error(`task "${task.id}" has no function`);
    const result = await Promise.race([Promise.resolve().then(() => fn(context)), abandoned]);
    if (result !== 'abandoned' && !controller.signal.aborted) {
      outcome.exitCode = 0;
      outcome.value = result;
    }
  } catch (error) {
    if (error instanceof SkipTask && !controller.signal.aborted) {
      outcome.exitCode = 0;
      outcome.skip = error.message;
    } else if (!controller.signal.aborted) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      writeSync(outputFd, maskText(`${text}\n`, request.secrets ?? []));
      outcome.exitCode = 1;
      outcome.error = `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`.split('\n')[0];
    }
  } finally {
    if (outcome.timedOutAt !== undefined) outcome.killGraceMs = Date.now() - outcome.timedOutAt.getTime();
    timer?.clear();
    request.signal?.removeEventListener('abort', onAbort);
  }
  return outcome;
}
