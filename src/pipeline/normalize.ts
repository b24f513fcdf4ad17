/** From a document that passed the schema to the Pipeline model: defaults applied, paths resolved, env as strings. */
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { parseDuration } from '../util/duration.js';
import type { HookCommand, Hooks, Pipeline, PipelineDefinition, Sla, SlaDefinition, Task, TaskDefinition, TaskHooks, TaskSettings } from './types.js';

const BUILTIN = {
  retries: 0,
  retry_delay: '1s',
  retry_backoff: 'fixed',
  max_retry_delay: '1h',
  kill_grace: '10s',
  shell: '/bin/sh',
  trigger_rule: 'all_success',
  // Airflow's BashOperator skips on exit code 99 by default (skip_on_exit_code).
  skip_exit_code: 99,
} as const satisfies TaskSettings;

/** The pool of a task that names none, and of `flow worker` without --pool. */
export const DEFAULT_POOL = 'default';

export const PIPELINE_FILE = /\.flow\.(ya?ml|ts)$/;

/** The pipeline name a file gets when it names none: `nightly-etl.flow.yaml` → `nightly-etl`. */
export function nameFromFile(file: string): string {
  return basename(file).replace(PIPELINE_FILE, '').replace(/\.(ya?ml|ts)$/, '');
}

export function normalizePipeline(doc: PipelineDefinition, file: string, format: 'yaml' | 'ts'): Pipeline {
  const defaults = doc.defaults ?? {};
  const base = dirname(file);
  return {
    name: doc.name ?? nameFromFile(file),
    file,
    format,
    description: doc.description,
    tags: doc.tags ?? [],
    schedule: doc.schedule,
    timezone: doc.timezone,
    concurrency: doc.concurrency ?? availableParallelism(),
    env: stringEnv(doc.env),
    inheritEnv: doc.inherit_env ?? true,
    secrets: doc.secrets ?? [],
    user: doc.user,
    hooks: hooksOf(doc),
    hookTimeoutMs: doc.hook_timeout === undefined ? undefined : parseDuration(doc.hook_timeout),
    overlap: doc.overlap ?? 'skip',
    maxActiveRuns: doc.max_active_runs ?? 16,
    catchup: doc.catchup ?? false,
    catchupLimit: doc.catchup_limit ?? 100,
    params: Object.fromEntries(
      Object.entries(doc.params ?? {}).map(([name, spec]) => [name, { type: spec.type ?? 'string', default: spec.default, enum: spec.enum, description: spec.description }]),
    ),
    sla: slaOf(doc.sla),
    tasks: normalizeTasks(doc.tasks, { ...defaults, pool: defaults.pool ?? doc.pool }, base),
  };
}

/**
 * What every task shares is worked out once per pipeline, not once per task: a file of 10,000 tasks names the
 * same few durations and directories 10,000 times.
 */
function normalizeTasks(tasks: Record<string, TaskDefinition | null>, defaults: TaskSettings, base: string): Task[] {
  const durations = new Map<string, number | undefined>();
  const ms = (text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    if (!durations.has(text)) durations.set(text, parseDuration(text));
    return durations.get(text);
  };
  const dirs = new Map<string, string>();
  const dir = (path: string): string => {
    let resolved = dirs.get(path);
    if (resolved === undefined) dirs.set(path, (resolved = resolve(base, path)));
    return resolved;
  };
  const env = stringEnv(defaults.env);
  return Object.entries(tasks).map(([id, task]) => normalizeTask(id, task ?? {}, defaults, { ms, dir, env }));
}

interface Shared {
  ms: (text: string | undefined) => number | undefined;
  dir: (path: string) => string;
  /** The defaults' env, as strings. */
  env: Record<string, string>;
}

function normalizeTask(id: string, task: TaskDefinition, defaults: TaskSettings, { ms, dir, env }: Shared): Task {
  const pick = <K extends keyof TaskSettings>(key: K) => task[key] ?? defaults[key];
  const run = task.run;
  return {
    id,
    kind: run === undefined ? 'empty' : typeof run === 'string' ? 'shell' : 'function',
    description: task.description,
    command: typeof run === 'string' ? run : undefined,
    fn: typeof run === 'function' ? run : undefined,
    dependsOn: [...new Set(task.depends_on ?? [])],
    retries: pick('retries') ?? BUILTIN.retries,
    retryDelayMs: ms(pick('retry_delay') ?? BUILTIN.retry_delay) ?? 0,
    retryBackoff: pick('retry_backoff') ?? BUILTIN.retry_backoff,
    maxRetryDelayMs: ms(pick('max_retry_delay') ?? BUILTIN.max_retry_delay) ?? 0,
    timeoutMs: ms(pick('timeout')),
    killGraceMs: ms(pick('kill_grace') ?? BUILTIN.kill_grace) ?? 0,
    // The pipeline's env is applied by the executor; defaults.env and the task's env merge here.
    env: task.env === undefined ? { ...env } : { ...env, ...stringEnv(task.env) },
    cwd: dir(pick('cwd') ?? '.'),
    shell: pick('shell') ?? BUILTIN.shell,
    triggerRule: pick('trigger_rule') ?? BUILTIN.trigger_rule,
    stdin: task.stdin,
    skipExitCode: skipExitCodeOf(pick('skip_exit_code') ?? BUILTIN.skip_exit_code),
    when: task.when,
    shortCircuit: task.short_circuit ?? false,
    ignoreDownstreamTriggerRules: task.ignore_downstream_trigger_rules ?? true,
    branch: task.branch ?? false,
    sla: slaOf(task.sla),
    pool: pick('pool') ?? DEFAULT_POOL,
    hooks: hooksOf({
      on_failure: pick('on_failure'),
      on_retry: pick('on_retry'),
      on_success: pick('on_success'),
      on_start: pick('on_start'),
    }),
  };
}

function slaOf(sla: SlaDefinition | undefined): Sla | undefined {
  if (sla === undefined || (sla.start_within === undefined && sla.finish_within === undefined)) return undefined;
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text));
  return { startWithinMs: ms(sla.start_within), finishWithinMs: ms(sla.finish_within) };
}

function skipExitCodeOf(value: number | false): number | undefined {
  return value === false ? undefined : value;
}

function hooksOf(source: TaskHooks & { on_sla_miss?: HookCommand | undefined }): Hooks {
  const hooks: Hooks = {};
  for (const event of ['on_failure', 'on_retry', 'on_success', 'on_start', 'on_sla_miss'] as const) {
    const value = source[event];
    if (value !== undefined) hooks[event] = typeof value === 'string' ? [value] : value;
  }
  return hooks;
}

function stringEnv(env: Record<string, string | number | boolean> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(env ?? {}).map(([key, value]) => [key, String(value)]));
}
