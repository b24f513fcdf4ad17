/** The normalized, validated pipeline model that the planner and executor work from. */
import type { TRIGGER_RULES, RETRY_BACKOFFS } from './schema.js';
import type { ParamSpec, ParamType, ParamValue } from './params-schema.js';

export type TriggerRule = (typeof TRIGGER_RULES)[number];
export type RetryBackoff = (typeof RETRY_BACKOFFS)[number];

/** What a TypeScript function task receives. */
export interface TaskContext {
  pipeline: string;
  task: string;
  runId: string;
  attempt: number;
  trigger: string;
  /** The instant the run stands for (ISO 8601), also in `FLOW_LOGICAL_DATE`. */
  logicalDate: string;
  /** `YYYY-MM-DD` of the logical date, also in `FLOW_DS`. */
  ds: string;
  /** The task's full environment (process, pipeline, task and FLOW_* variables). */
  env: Record<string, string>;
  /** Aborted when the task times out or the run is stopped. */
  signal: AbortSignal;
  /** Ends the task `skipped` (Airflow's AirflowSkipException): throws, so nothing after it runs. */
  skip: (reason?: string) => never;
  /** Writes one line to the task's log file. */
  log: (...parts: unknown[]) => void;
  logger: { info: (...parts: unknown[]) => void; warn: (...parts: unknown[]) => void; error: (...parts: unknown[]) => void };
}

export type TaskFunction = (context: TaskContext) => unknown;

export type HookCommand = string | string[];

export interface TaskHooks {
  on_failure?: HookCommand;
  on_retry?: HookCommand;
  on_success?: HookCommand;
  on_start?: HookCommand;
}

export interface TaskSettings extends TaskHooks {
  retries?: number;
  retry_delay?: string;
  retry_backoff?: RetryBackoff;
  max_retry_delay?: string;
  timeout?: string;
  kill_grace?: string;
  env?: Record<string, string | number | boolean>;
  cwd?: string;
  shell?: string;
  trigger_rule?: TriggerRule;
  skip_exit_code?: number | false;
  /** Cluster mode: the pool of workers that runs the task. */
  pool?: string;
}

/** A deadline measured from the scheduled instant (`sla:`). */
export interface SlaDefinition {
  start_within?: string;
  finish_within?: string;
}

export interface TaskDefinition extends TaskSettings {
  sla?: SlaDefinition;
  run?: string | TaskFunction;
  description?: string;
  depends_on?: string[];
  stdin?: string;
  when?: string;
  short_circuit?: boolean;
  ignore_downstream_trigger_rules?: boolean;
  branch?: boolean;
}

/** What a TypeScript pipeline file exports (the same keys as the YAML format). */
export interface PipelineDefinition {
  name?: string;
  description?: string;
  tags?: string[];
  schedule?: string;
  timezone?: string;
  concurrency?: number;
  env?: Record<string, string | number | boolean>;
  inherit_env?: boolean;
  secrets?: string[];
  pool?: string;
  user?: string;
  on_failure?: HookCommand;
  on_retry?: HookCommand;
  on_success?: HookCommand;
  on_start?: HookCommand;
  on_sla_miss?: HookCommand;
  sla?: SlaDefinition;
  hook_timeout?: string;
  overlap?: Overlap;
  max_active_runs?: number;
  catchup?: Catchup;
  catchup_limit?: number;
  params?: Record<string, { type?: ParamType; default?: ParamValue; enum?: ParamValue[]; description?: string }>;
  defaults?: TaskSettings;
  tasks: Record<string, TaskDefinition | null>;
}

export type TaskKind = 'shell' | 'function' | 'empty';
export type Overlap = 'skip' | 'queue' | 'allow';
export type Catchup = false | 'latest' | 'all';

export interface Task {
  id: string;
  kind: TaskKind;
  description: string | undefined;
  /** The shell command of a shell task. */
  command: string | undefined;
  fn: TaskFunction | undefined;
  dependsOn: string[];
  retries: number;
  retryDelayMs: number;
  retryBackoff: RetryBackoff;
  maxRetryDelayMs: number;
  timeoutMs: number | undefined;
  killGraceMs: number;
  env: Record<string, string>;
  cwd: string;
  shell: string;
  triggerRule: TriggerRule;
  /** Standard input of a shell task; undefined: none (/dev/null). */
  stdin: string | undefined;
  /** A command run as given, without a shell (`flow run -- COMMAND ARGS…`): its argv. */
  argv?: string[] | undefined;
  /** Give the task flow's own standard input (a wrapped crontab line's `%` input reaches the command). */
  passStdin?: boolean | undefined;
  /** Exit code that ends the task `skipped` (BashOperator's skip_on_exit_code); undefined: none. */
  skipExitCode?: number | undefined;
  /** Shell condition run before each attempt: exit 0 runs the task, any other code skips it. */
  when?: string | undefined;
  /** A failing command (or a falsy return) skips the tasks downstream instead of failing (ShortCircuitOperator). */
  shortCircuit?: boolean | undefined;
  /** With shortCircuit: skip every downstream task (true, Airflow's default) or only the direct ones. */
  ignoreDownstreamTriggerRules?: boolean | undefined;
  /** The task names which of its direct downstream tasks run (`$FLOW_BRANCH`, or a function's return). */
  branch?: boolean | undefined;
  sla?: Sla | undefined;
  hooks: Hooks;
  /** Cluster mode: the pool whose workers run the task (`default` unless the task or pipeline names one). */
  pool: string;
}

export type HookEvent = 'on_failure' | 'on_retry' | 'on_success' | 'on_start' | 'on_sla_miss';

/** Deadlines from the scheduled instant, in milliseconds. */
export interface Sla {
  startWithinMs: number | undefined;
  finishWithinMs: number | undefined;
}
/** Commands per event, each run in order. */
export type Hooks = Partial<Record<HookEvent, string[]>>;

export interface Pipeline {
  name: string;
  /** Absolute path of the file it came from. */
  file: string;
  format: 'yaml' | 'ts';
  description: string | undefined;
  tags: string[];
  schedule: string | undefined;
  timezone: string | undefined;
  concurrency: number;
  env: Record<string, string>;
  /** False: tasks get only `env` and FLOW_* (what an imported crontab line saw under cron). */
  inheritEnv: boolean;
  /** Environment variables whose values are masked (`***`) in logs, hook output and records, besides *_TOKEN etc. */
  secrets: string[];
  user: string | undefined;
  hooks: Hooks;
  /** Undefined: the global config's, else 30s. */
  hookTimeoutMs: number | undefined;
  overlap: Overlap;
  maxActiveRuns: number;
  catchup: Catchup;
  catchupLimit: number;
  /** Declared params (`params:`), by name. */
  params: Record<string, ParamSpec>;
  /** Deadlines of the whole run from its scheduled instant. */
  sla?: Sla | undefined;
  /** In file order. */
  tasks: Task[];
}
