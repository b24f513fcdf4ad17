/**
 * Runs a plan: each task starts as soon as its trigger rule allows and a slot is free, attempts are retried with
 * back-off, and a stop ends running tasks and starts nothing more. Everything observable leaves as FlowEvents.
 */
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import type { Pipeline, Task } from '../pipeline/types.js';
import { startTimeOf } from '../util/proc.js';
import type { RunAs } from './run-as.js';
import type { Env } from '../util/paths.js';
import { runAttempt, type AttemptRunner } from './attempt.js';
import type { AttemptOutcome, EventSink, RunStatus, TaskStatus } from './events.js';
import { describeOutcome, succeeded } from './outcome.js';
import type { Plan } from './plan.js';
import { retryDelayMs, sleep } from './retry.js';
import { Slots, type SlotPool } from './slots.js';
import type { RunContext } from './task-env.js';
import { decide, skipReason } from './trigger-rules.js';
import { outputEnv } from './outputs.js';
import { forcedSkips, reachable } from './graph.js';

export interface ExecuteOptions {
  pipeline: Pipeline;
  plan: Plan;
  run: RunContext;
  /** This run's log directory, which must exist. */
  logDir: string;
  baseEnv: Env;
  emit: EventSink;
  /** Stop: start nothing more, end running tasks (SIGTERM, SIGKILL after kill_grace). */
  signal?: AbortSignal | undefined;
  /** Kill running tasks at once. */
  force?: AbortSignal | undefined;
  /** Slots shared with other runs (the daemon's --max-tasks). */
  shared?: SlotPool | undefined;
  now?: () => Date;
  /** Continue from an earlier pass of the same run (`flow retry`) instead of starting every task afresh. */
  prior?: PriorState | undefined;
  /** Run shell tasks as another user (`user:`). */
  runAs?: RunAs | undefined;
  /** Who runs each attempt: this process (default) or a cluster's workers. Everything else stays the same. */
  runner?: AttemptRunner | undefined;
}

/**
 * An earlier pass of a run: every task keeps the state given here and counts as done for trigger rules, except the
 * tasks in `rerun`, which start again with attempts numbered after their earlier ones and a fresh budget of retries.
 */
export interface PriorState {
  tasks: Record<string, PriorTask>;
  rerun: readonly string[];
}

/** A task as an earlier pass left it: its outputs and choices count again unless it runs again. */
export interface PriorTask {
  status: TaskStatus;
  attempts: number;
  outputs?: Record<string, string> | undefined;
  branch?: string[] | undefined;
  shortCircuited?: boolean | undefined;
}

export interface RunResult {
  status: Exclude<RunStatus, 'running'>;
  tasks: Record<string, { status: TaskStatus; attempts: number }>;
  failed: string[];
}

type Given = Pick<PriorTask, 'outputs' | 'branch' | 'shortCircuited'>;

export function executePlan(options: ExecuteOptions): Promise<RunResult> {
  return new Execution(options).start();
}

class Execution {
  private readonly tasks: Map<string, Task>;
  private readonly upstream = new Map<string, string[]>();
  private readonly downstream = new Map<string, string[]>();
  private readonly status = new Map<string, TaskStatus>();
  /** Attempts so far, counting those of an earlier pass (`prior`), which `earlier` holds apart. */
  private readonly attempts = new Map<string, number>();
  private readonly earlier = new Map<string, number>();
  /** Outputs of the tasks that succeeded, for the tasks downstream of them. */
  private readonly outputs = new Map<string, Record<string, string>>();
  /** Tasks a branch or a short-circuit skips whatever their trigger rule says, and why. */
  private readonly forced = new Map<string, string>();
  /** Direct downstream tasks in the whole pipeline (not only this plan), for branch tasks. */
  private pipelineDownstream: Map<string, string[]> | undefined;
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly local: Slots;
  private active = 0;
  private waitingRetry = 0;
  private cancelled = false;
  private finished = false;
  private resolve: (result: RunResult) => void = () => undefined;
  private readonly now: () => Date;

  constructor(private readonly options: ExecuteOptions) {
    this.now = options.now ?? (() => new Date());
    this.tasks = new Map(options.pipeline.tasks.map((task) => [task.id, task]));
    this.local = new Slots(options.plan.concurrency);
    const rerun = new Set(options.prior?.rerun ?? []);
    for (const planned of options.plan.tasks) {
      const before = options.prior?.tasks[planned.id];
      this.status.set(planned.id, before === undefined || rerun.has(planned.id) ? 'pending' : before.status);
      if (before !== undefined && before.attempts > 0) {
        this.attempts.set(planned.id, before.attempts);
        this.earlier.set(planned.id, before.attempts);
      }
      this.upstream.set(planned.id, planned.depends_on);
      for (const dep of planned.depends_on) (this.downstream.get(dep) ?? this.downstream.set(dep, []).get(dep))?.push(planned.id);
    }
    for (const [id, before] of Object.entries(options.prior?.tasks ?? {})) {
      if (rerun.has(id) || !this.status.has(id) || before.status !== 'success') continue;
      if (before.outputs !== undefined) this.outputs.set(id, before.outputs);
      this.applyChoices(id, before.branch, before.shortCircuited === true);
    }
  }

  start(): Promise<RunResult> {
    const done = new Promise<RunResult>((resolve) => (this.resolve = resolve));
    if (this.options.signal?.aborted) this.cancel();
    // Every attempt running at once listens on these too (and every run of a daemon on its own): not a leak to warn of.
    for (const signal of [this.options.signal, this.options.force]) if (signal !== undefined) setMaxListeners(0, signal);
    this.options.signal?.addEventListener('abort', this.cancel, { once: true });
    this.evaluate([...this.status.keys()]);
    this.pump();
    return done;
  }

  private readonly cancel = (): void => {
    this.cancelled = true;
    const notRunning = [...this.status].filter(([id, status]) => status === 'pending' || this.queued.has(id));
    this.queue.length = 0;
    this.queued.clear();
    for (const [id] of notRunning) this.finishTask(id, 'cancelled', 'run stopped before it started');
    this.pump();
  };

  /** Decides the given pending tasks, and, when that ends some, their downstream tasks in turn. */
  private evaluate(ids: readonly string[]): void {
    const work = [...ids];
    while (work.length > 0) {
      const id = work.shift() as string;
      if (this.status.get(id) !== 'pending' || this.queued.has(id) || this.tries(id) > 0) continue;
      const task = this.tasks.get(id) as Task;
      const deps = this.upstream.get(id) ?? [];
      const forced = this.forced.get(id);
      if (forced !== undefined) {
        this.finishTask(id, 'skipped', forced, false);
        work.push(...(this.downstream.get(id) ?? []));
        continue;
      }
      const decision = decide(task.triggerRule, deps.map((dep) => this.status.get(dep) ?? 'pending'));
      if (decision === 'wait') continue;
      if (decision === 'skipped' || decision === 'upstream_failed') {
        const states = new Map(deps.map((dep) => [dep, this.status.get(dep) ?? 'pending']));
        this.finishTask(id, decision, skipReason(task.triggerRule, decision, states), false);
        work.push(...(this.downstream.get(id) ?? []));
      } else if (task.kind === 'empty') {
        this.finishTask(id, 'success', undefined, false);
        work.push(...(this.downstream.get(id) ?? []));
      } else {
        this.queued.add(id);
        this.queue.push(id);
      }
    }
  }

  private pump(): void {
    if (this.finished) return;
    while (!this.cancelled && this.queue.length > 0) {
      if (!this.local.tryAcquire()) break;
      if (this.options.shared !== undefined && !this.options.shared.tryAcquire()) {
        this.local.release();
        this.options.shared.onRelease(() => this.pump());
        break;
      }
      const id = this.queue.shift() as string;
      this.queued.delete(id);
      void this.runTask(id);
    }
    if (this.active === 0 && this.waitingRetry === 0 && this.queue.length === 0) this.finishRun();
  }

  private async runTask(id: string): Promise<void> {
    const task = this.tasks.get(id) as Task;
    const attempt = (this.attempts.get(id) ?? 0) + 1;
    this.attempts.set(id, attempt);
    this.status.set(id, 'running');
    this.active += 1;
    const log = join(this.options.logDir, `${id}.${attempt}.log`);
    const startedAt = this.now();
    let announced = false;
    const announce = (pid: number | undefined): void => {
      if (announced) return;
      announced = true;
      const pidStart = pid === undefined ? undefined : (startTimeOf(pid) ?? undefined);
      this.options.emit({ kind: 'task-started', at: startedAt, task: id, attempt, log, pid, pidStart });
    };
    if (task.kind === 'function') announce(undefined);
    let outcome: AttemptOutcome;
    // Walking every ancestor of every task is quadratic in a long chain: skip it while no task has given outputs.
    const inputs = this.outputs.size === 0 ? { env: {} } : outputEnv(this.ancestors(id).flatMap((up) => {
      const given = this.outputs.get(up);
      return given === undefined ? [] : [[up, given] as [string, Record<string, string>]];
    }));
    try {
      if ('error' in inputs) throw new Error(inputs.error);
      outcome = await (this.options.runner ?? runAttempt)({
        pipeline: this.options.pipeline,
        task,
        run: this.options.run,
        attempt,
        logFile: log,
        baseEnv: this.options.baseEnv,
        signal: this.options.signal,
        force: this.options.force,
        onSpawn: announce,
        runAs: this.options.runAs,
        inputs: inputs.env,
        downstream: this.directDownstream(id),
      });
    } catch (error) {
      outcome = { exitCode: undefined, signal: undefined, timedOut: false, cancelled: false, error: (error as Error).message };
    }
    announce(undefined);
    this.active -= 1;
    this.local.release();
    this.options.shared?.release();

    const ok = succeeded(outcome);
    const skipped = outcome.skip !== undefined && outcome.error === undefined;
    const retry = !ok && !skipped && !outcome.cancelled && !this.cancelled && this.tries(id) <= task.retries;
    const retryInMs = retry ? retryDelayMs(task, this.tries(id)) : undefined;
    const reason = describeOutcome(outcome, task.timeoutMs);
    this.options.emit({ kind: 'attempt-finished', at: this.now(), task: id, attempt, startedAt, log, outcome, reason, retryInMs });
    if (retryInMs !== undefined) {
      this.waitingRetry += 1;
      const waited = await sleep(retryInMs, this.options.signal);
      this.waitingRetry -= 1;
      if (waited && !this.cancelled) {
        this.queued.add(id);
        this.queue.push(id);
      } else {
        this.finishTask(id, 'cancelled', 'run stopped before its retry');
      }
    } else if (skipped) {
      this.finishTask(id, 'skipped', outcome.skip);
    } else if (ok) {
      if (outcome.outputs !== undefined) this.outputs.set(id, outcome.outputs);
      this.applyChoices(id, outcome.branch, outcome.shortCircuit !== undefined);
      const chose = outcome.branch === undefined ? undefined : `branch: chose ${outcome.branch.map((next) => `"${next}"`).join(', ') || 'no task'}`;
      const why = outcome.shortCircuit === undefined ? chose : `short-circuit: ${outcome.shortCircuit}, downstream tasks skipped`;
      this.finishTask(id, 'success', why, true, { outputs: outcome.outputs, branch: outcome.branch, shortCircuited: outcome.shortCircuit !== undefined || undefined });
    } else {
      this.finishTask(id, outcome.cancelled ? 'cancelled' : outcome.interrupted !== undefined ? 'interrupted' : 'failed', reason);
    }
    this.pump();
  }

  private applyChoices(id: string, branch: readonly string[] | undefined, shortCircuited: boolean): void {
    const task = this.tasks.get(id);
    for (const [next, why] of forcedSkips(id, this.downstream, { branch, shortCircuited, directOnly: task?.ignoreDownstreamTriggerRules === false })) {
      this.forced.set(next, why);
    }
  }

  /** Every task upstream of `id` in this plan, directly or not, nearest first. */
  private ancestors(id: string): string[] {
    return reachable(this.upstream, id);
  }

  /** The pipeline's tasks that depend on `id` directly (a branch may name one that this plan left out). */
  private directDownstream(id: string): string[] {
    if (this.pipelineDownstream === undefined) {
      // Built once: a search of every task for each task would be quadratic in the pipeline's size.
      this.pipelineDownstream = new Map();
      for (const task of this.options.pipeline.tasks) {
        for (const dep of new Set(task.dependsOn)) (this.pipelineDownstream.get(dep) ?? this.pipelineDownstream.set(dep, []).get(dep))?.push(task.id);
      }
    }
    return this.pipelineDownstream.get(id) ?? [];
  }

  /** Attempts in this pass: retries and back-off count from here, whatever an earlier pass used. */
  private tries(id: string): number {
    return (this.attempts.get(id) ?? 0) - (this.earlier.get(id) ?? 0);
  }

  private finishTask(id: string, status: TaskStatus, reason: string | undefined, cascade = true, gave: Given = {}): void {
    this.status.set(id, status);
    this.options.emit({ kind: 'task-finished', at: this.now(), task: id, status, attempts: this.attempts.get(id) ?? 0, reason, ...gave });
    if (cascade && !this.cancelled) this.evaluate(this.downstream.get(id) ?? []);
  }

  private finishRun(): void {
    this.finished = true;
    this.options.signal?.removeEventListener('abort', this.cancel);
    // A task lost with its worker, with no retry left, fails its run as a failed task does (and fires on_failure).
    const failed = [...this.status].filter(([, status]) => status === 'failed' || status === 'interrupted').map(([id]) => id);
    // The run's status is "failed if any task failed, else success", not Airflow's leaf-task rule (see README).
    const status = this.cancelled ? 'cancelled' : failed.length > 0 ? 'failed' : 'success';
    const allSkipped = this.status.size > 0 && [...this.status.values()].every((s) => s === 'skipped');
    const note = status === 'success' && allSkipped ? 'every task was skipped' : undefined;
    const tasks = Object.fromEntries([...this.status].map(([id, s]) => [id, { status: s, attempts: this.attempts.get(id) ?? 0 }]));
    this.options.emit({ kind: 'run-finished', at: this.now(), status, failed, note });
    this.resolve({ status, tasks, failed });
  }
}
