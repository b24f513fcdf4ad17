/**
 * `flow hooks test`: fires a pipeline's hooks for one event with a made-up context (a run that failed with exit
 * code 1, a sample log tail), through the same runner as real runs, so alerting can be checked before a failure.
 */
import { mkdtemp } from 'node:fs/promises';
import { writeDurably } from '../store/durable-file.js';
import { ensurePrivateDir } from '../util/private-fs.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowEvent, HookResult } from '../engine/events.js';
import { planRun } from '../engine/plan.js';
import { newRunId } from '../engine/run-id.js';
import { FlowError } from '../errors.js';
import type { HookEvent, Pipeline } from '../pipeline/types.js';
import { didYouMean } from '../util/suggest.js';
import { isoWithOffset } from '../util/time.js';
import type { Env } from '../util/paths.js';
import { HookRunner, type GlobalHooks } from './hook-runner.js';

export interface HookTest {
  pipeline: Pipeline;
  global: GlobalHooks;
  event: HookEvent;
  task?: string | undefined;
  env: Env;
}

export async function testHooks(test: HookTest): Promise<{ results: HookResult[]; logDir: string }> {
  const { pipeline, event } = test;
  const ids = pipeline.tasks.map((task) => task.id);
  if (test.task !== undefined && !ids.includes(test.task)) {
    throw new FlowError('E_TASK_NOT_FOUND', `pipeline "${pipeline.name}" has no task "${test.task}"${didYouMean(test.task, ids)}`, { hint: `its tasks: ${ids.join(', ')}` });
  }
  const taskId = test.task ?? ids[0] ?? 'task';
  const logRoot = await mkdtemp(join(tmpdir(), 'flow-hooks-test-'));
  const log = join(logRoot, 'sample.log');
  await writeDurably(log, ['this is a test of flow hooks', `pipeline ${pipeline.name}, task ${taskId}`, 'the last lines of the failed attempt arrive on stdin'].join('\n') + '\n');

  const results: HookResult[] = [];
  const runner = new HookRunner({
    pipeline,
    global: test.global,
    baseEnv: test.env,
    logDirOf: (runId) => ensurePrivateDir(logRoot, join(logRoot, pipeline.name, runId)),
    emit: (hookEvent) => {
      if (hookEvent.kind === 'hook-finished') results.push(hookEvent.hook);
    },
    only: { events: [event], scope: test.task === undefined ? 'run' : 'task' },
  });
  for (const synthetic of events(pipeline, event, taskId, log)) runner.sink(synthetic);
  await runner.idle();
  return { results, logDir: join(logRoot, pipeline.name) };
}

/** The events of a made-up run that reaches `event` for `task`. */
function events(pipeline: Pipeline, event: HookEvent, task: string, log: string): FlowEvent[] {
  const at = new Date();
  const runId = newRunId(at);
  const ok = event === 'on_success';
  const outcome = { exitCode: ok ? 0 : 1, signal: undefined, timedOut: false, cancelled: false, error: undefined };
  const list: FlowEvent[] = [
    { kind: 'run-started', at, run: { runId, pipeline: pipeline.name, file: pipeline.file, trigger: 'manual', logicalDate: isoWithOffset(at, pipeline.timezone), plan: planRun(pipeline) } },
    { kind: 'task-started', at, task, attempt: 1, log, pid: undefined, pidStart: undefined },
  ];
  if (event === 'on_start') return list;
  if (event === 'on_sla_miss') {
    const due = isoWithOffset(at, pipeline.timezone);
    return [...list, { kind: 'sla-missed', at, miss: { deadline: 'finish_within', task: null, due, seen_at: isoWithOffset(at) } }];
  }
  const reason = ok ? undefined : 'exit code 1';
  const retryInMs = event === 'on_retry' ? 1000 : undefined;
  list.push({ kind: 'attempt-finished', at, task, attempt: 1, startedAt: at, log, outcome, reason, retryInMs });
  if (event === 'on_retry') return list;
  list.push({ kind: 'task-finished', at, task, status: ok ? 'success' : 'failed', attempts: 1, reason });
  list.push({ kind: 'run-finished', at, status: ok ? 'success' : 'failed', failed: ok ? [] : [task] });
  return list;
}
