/**
 * Fires hooks as a run's events happen: task-level hooks for their task, pipeline-level and global-config hooks
 * once per run (on_retry: for each retried attempt of any task). Hooks run in the background, one event's hooks one
 * after another, so they never hold up tasks or other runs; each outcome is announced as a `hook-finished` event,
 * which the history records. A hook never changes the run's outcome.
 */
import { dirname, join } from 'node:path';
import type { FlowEvent } from '../engine/events.js';
import type { HookEvent, Hooks, Pipeline } from '../pipeline/types.js';
import { applyEvent, type RunRecord } from '../store/record.js';
import type { Env } from '../util/paths.js';
import { runContext, slaContext, taskContext, type HookContext } from './context.js';
import { runHook, type HookJob } from './run-hook.js';
import { secretValues } from '../engine/mask.js';

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;

export interface GlobalHooks {
  hooks: Hooks;
  hookTimeoutMs: number | undefined;
}

export interface HookRunnerOptions {
  pipeline: Pipeline;
  global: GlobalHooks;
  /** flow's own environment: hooks are flow's, not the job's, so they get it even when tasks do not. */
  baseEnv: Env;
  /** A run's log directory, given its id; hooks write under `hooks/` there. */
  logDirOf: (runId: string) => string;
  emit: (event: FlowEvent) => void;
  /** Fire only these events, and only task-level or only run-level hooks (`flow hooks test`). */
  only?: { events: HookEvent[]; scope: 'task' | 'run' } | undefined;
}

export class HookRunner {
  private record: RunRecord | undefined;
  private readonly running = new Set<Promise<void>>();
  private seq = 0;
  private slaFired = false;

  private readonly hasHooks: boolean;

  constructor(private readonly options: HookRunnerOptions) {
    const { pipeline, global } = options;
    this.hasHooks = [pipeline.hooks, global.hooks, ...pipeline.tasks.map((entry) => entry.hooks)].some((hooks) => Object.keys(hooks).length > 0);
  }

  readonly sink = (event: FlowEvent): void => {
    // Most pipelines have no hooks at all: then there is nothing to keep or prepare.
    if (event.kind === 'hook-finished' || !this.hasHooks) return;
    this.record = applyEvent(this.record, event);
    const run = this.record;
    if (run === undefined) return;
    const { pipeline } = this.options;
    const task = (id: string) => run.tasks.find((entry) => entry.id === id);
    const taskHooks = (id: string) => pipeline.tasks.find((entry) => entry.id === id)?.hooks ?? {};
    switch (event.kind) {
      case 'run-started':
        this.fireRun('on_start', () => runContext('on_start', run));
        break;
      case 'task-started': {
        const entry = task(event.task);
        if (event.attempt === 1 && entry !== undefined) this.fire('on_start', event.task, 'task', taskHooks(event.task).on_start, () => taskContext('on_start', run, entry, entry.attempts.at(-1)));
        break;
      }
      case 'attempt-finished': {
        const entry = task(event.task);
        if (event.retryInMs === undefined || entry === undefined) break;
        const attempt = entry.attempts.find((item) => item.attempt === event.attempt);
        const context = (): HookContext => taskContext('on_retry', run, entry, attempt);
        this.fire('on_retry', event.task, 'task', taskHooks(event.task).on_retry, context);
        this.fireRun('on_retry', context, event.task);
        break;
      }
      case 'task-finished': {
        const entry = task(event.task);
        if (entry === undefined || (event.status !== 'success' && event.status !== 'failed')) break;
        const which: HookEvent = event.status === 'success' ? 'on_success' : 'on_failure';
        this.fire(which, event.task, 'task', taskHooks(event.task)[which], () => taskContext(which, run, entry, entry.attempts.at(-1)));
        break;
      }
      case 'sla-missed':
        // Once per run, for the first deadline missed; every miss is in the record.
        if (!this.slaFired) {
          this.slaFired = true;
          const miss = event.miss;
          this.fireRun('on_sla_miss', () => slaContext(run, miss));
        }
        break;
      case 'run-finished':
        if (event.status === 'success') this.fireRun('on_success', () => runContext('on_success', run));
        if (event.status === 'failed') this.fireRun('on_failure', () => runContext('on_failure', run));
        break;
    }
  };

  /** Takes `record` as the run's, without firing anything: for a run recorded without events (a skipped instant). */
  seed(record: RunRecord): void {
    this.record = structuredClone(record);
  }

  /** Resolves when every hook started so far, and any they led to, has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private fireRun(event: HookEvent, context: () => HookContext, task: string | null = null): void {
    this.fire(event, task, 'pipeline', this.options.pipeline.hooks[event], context, this.options.global.hooks[event]);
  }

  /** `context` is computed only when some hook fires: it reads the tail of a log. */
  private fire(event: HookEvent, task: string | null, source: 'pipeline' | 'task', commands: string[] | undefined, lazyContext: () => HookContext, globals: string[] = []): void {
    const only = this.options.only;
    if (only !== undefined && (!only.events.includes(event) || (only.scope === 'task') !== (source === 'task'))) return;
    if ((commands?.length ?? 0) + globals.length === 0) return;
    const context = lazyContext();
    const jobs: HookJob[] = [
      ...(commands ?? []).map((command) => this.job(event, task, source, command, context)),
      ...globals.map((command) => this.job(event, task, 'global', command, context)),
    ];
    if (jobs.length === 0) return;
    const done: Promise<void> = (async () => {
      for (const job of jobs) {
        const hook = await runHook(job).catch((error: unknown) => ({
          event: job.event,
          task: job.task,
          command: job.command,
          source: job.source,
          started_at: new Date().toISOString(),
          duration_ms: 0,
          exit_code: null,
          signal: null,
          timed_out: false,
          error: `could not run: ${(error as Error).message}`,
          log: '',
        }));
        this.options.emit({ kind: 'hook-finished', at: new Date(), hook });
      }
    })().finally(() => this.running.delete(done));
    this.running.add(done);
  }

  private job(event: HookEvent, task: string | null, source: HookJob['source'], command: string, context: HookContext): HookJob {
    const { pipeline, baseEnv } = this.options;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(baseEnv)) if (value !== undefined) env[key] = value;
    Object.assign(env, pipeline.env, context.env);
    this.seq += 1;
    return {
      event,
      task,
      source,
      command,
      cwd: dirname(pipeline.file),
      env,
      stdin: context.stdin,
      timeoutMs: pipeline.hookTimeoutMs ?? this.options.global.hookTimeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS,
      dir: join(this.options.logDirOf(this.record?.id ?? 'unknown'), 'hooks'),
      name: `${this.seq}-${event}${task === null ? '' : `-${task}`}`,
      secrets: secretValues(env, pipeline.secrets),
    };
  }
}
