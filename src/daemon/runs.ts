/**
 * The daemon's runs: starts each through the same path as `flow run` (recorded, hooks fired), applies each
 * pipeline's overlap policy — skip (record a skipped run), queue (at most one waits), allow (up to max_active_runs)
 * — and runs catch-up instants one after another. Nothing here waits on history before a run starts: the run's
 * own start is the first thing that happens.
 */
import type { EventSink, FlowEvent, Trigger } from '../engine/events.js';
import type { Slots } from '../engine/slots.js';
import { executeRun, type CompletedRun, type RunServices } from '../runs/execute.js';
import { formatDuration } from '../util/duration.js';
import { setLongTimeout, type LongTimer } from '../util/long-timer.js';
import { isoWithOffset } from '../util/time.js';
import type { CatalogEntry } from './catalog.js';
import type { Claim } from './cluster/claims.js';
import type { HandledInstants } from './handled.js';
import type { DaemonLog } from './log.js';
import { recordSkipped } from './skipped.js';
import { missedStartOf, noteMissedStart, watchesStarts } from './missed-sla.js';
import { loggedSlots } from './slot-wait.js';

export interface Firing {
  instant: Date;
  trigger: Extract<Trigger, 'schedule' | 'catchup' | 'api'>;
  /** Values for the pipeline's params (a run asked for through the API); scheduled runs take the defaults. */
  params?: Readonly<Record<string, string>> | undefined;
}

export interface ActiveRun {
  pipeline: string;
  runId: string | undefined;
  instant: Date;
  startedAt: Date;
  /** Ends this run alone (`flow stop`): its tasks get SIGTERM, then SIGKILL after their kill_grace. */
  stop: AbortController;
}

/** How a run is carried out, given the signals and sinks the daemon adds (see DaemonRuns.trigger). */
export type RunStarter = (run: { signal: AbortSignal; force: AbortSignal; sinks: EventSink[] }) => Promise<CompletedRun>;

export interface DaemonRunsContext {
  services: RunServices;
  slots: Slots;
  log: DaemonLog;
  handled: HandledInstants;
  stop: AbortSignal;
  force: AbortSignal;
  onChange: () => void;
  /** A further sink for each run of a pipeline (the API's event stream). */
  observe?: ((pipeline: string) => EventSink) | undefined;
  /** Whether a pipeline is paused: its scheduled instants are recorded as skipped, not run. */
  paused?: ((pipeline: string) => boolean) | undefined;
  /** In a cluster: claims a scheduled instant's run before it starts (the run takes the id the claim gives). */
  claim?: ((pipeline: string, instant: Date) => Promise<Claim>) | undefined;
}

export class DaemonRuns {
  private readonly active = new Map<string, Set<ActiveRun>>();
  private readonly waiting = new Map<string, { entry: CatalogEntry; firing: Firing }[]>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly ctx: DaemonRunsContext) {}

  /**
   * A scheduled instant is due: run it, or apply the overlap policy. It counts as handled once its run (or its
   * skipped record) is on disk; one dropped by a stop stays unhandled, for the next start to find.
   */
  fire(entry: CatalogEntry, firing: Firing): void {
    const { pipeline } = entry;
    this.ctx.handled.hold(pipeline.name, [firing.instant]);
    if (this.closed) return;
    if (this.ctx.paused?.(pipeline.name) === true) {
      this.ctx.log.write(`skipped ${pipeline.name} for ${this.when(entry, firing.instant)}: paused`);
      void recordSkipped(this.ctx.services, entry, firing.instant, firing.trigger, 'paused').then(
        (record) => {
          this.ctx.handled.done(pipeline.name, [firing.instant]);
          // A paused instant never started: a missed start for a pipeline with deadlines.
          this.track(noteMissedStart(this.ctx.services, entry, record, firing.instant), pipeline.name);
        },
        (error: unknown) => this.ctx.log.write(`could not record the skipped run of ${pipeline.name}: ${(error as Error).message}`),
      );
      return;
    }
    const active = this.active.get(pipeline.name) ?? new Set();
    const waiting = this.waiting.get(pipeline.name) ?? [];
    if (active.size === 0 && waiting.length === 0) return this.startQuietly(entry, firing);
    const busy = [...active][0]?.runId ?? 'a catch-up run';
    if (pipeline.overlap === 'allow' && active.size < pipeline.maxActiveRuns) return this.startQuietly(entry, firing);
    if (pipeline.overlap === 'queue' && !waiting.some((item) => item.firing.trigger === 'schedule')) {
      this.waiting.set(pipeline.name, [...waiting, { entry, firing }]);
      this.ctx.log.write(`queued ${pipeline.name} for ${this.when(entry, firing.instant)}: run ${busy} is still going (overlap: queue)`);
      return;
    }
    const reason =
      pipeline.overlap === 'allow'
        ? `${active.size} runs are going, max_active_runs is ${pipeline.maxActiveRuns}`
        : pipeline.overlap === 'queue'
          ? `run ${busy} is still going and one run is already queued (overlap: queue)`
          : `run ${busy} is still going (overlap: skip)`;
    this.ctx.log.write(`skipped ${pipeline.name} for ${this.when(entry, firing.instant)}: ${reason}`);
    // Tracked with the runs, so that a stop right after a skip waits for its record instead of losing it.
    const recorded: Promise<void> = recordSkipped(this.ctx.services, entry, firing.instant, firing.trigger, reason)
      .then(
        (record) => {
          this.ctx.handled.done(pipeline.name, [firing.instant]);
          this.track(noteMissedStart(this.ctx.services, entry, record, firing.instant), pipeline.name);
        },
        (error: unknown) => this.ctx.log.write(`could not record the skipped run of ${pipeline.name}: ${(error as Error).message}`),
      )
      .finally(() => this.running.delete(recorded));
    this.running.add(recorded);
  }

  /**
   * Instants that went by unrun and will not run (catch-up let them pass): for a pipeline with deadlines, each of
   * the newest `catchup_limit` gets a skipped record with a missed start, and on_sla_miss fires once, for the newest.
   */
  missed(entry: CatalogEntry, instants: readonly Date[], why: string): void {
    if (!watchesStarts(entry) || instants.length === 0) return;
    const name = entry.pipeline.name;
    const kept = instants.slice(-entry.pipeline.catchupLimit);
    const work = (async () => {
      for (const instant of kept) {
        const record = await recordSkipped(this.ctx.services, entry, instant, 'schedule', `missed ${why}`);
        if (instant === kept.at(-1)) await noteMissedStart(this.ctx.services, entry, record, instant, instants.length - 1);
        else {
          (record.sla_misses ??= []).push(missedStartOf(entry, instant));
          await this.ctx.services.store.writeRun(record);
          await this.ctx.services.historyRecord?.(record);
        }
      }
      this.ctx.log.write(`${name}: ${instants.length} missed start${instants.length === 1 ? '' : 's'} (sla), on_sla_miss fired once`);
    })();
    this.track(work, name);
  }

  private track(work: Promise<void>, name: string): void {
    const done: Promise<void> = work
      .catch((error: unknown) => this.ctx.log.write(`could not record the missed deadline of ${name}: ${(error as Error).message}`))
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /**
   * Catch-up instants, already held by the caller: run one after another, oldest first, behind whatever runs now.
   * Each is handled when its own run is recorded, so a daemon killed halfway leaves the rest to the next start.
   */
  backlog(entry: CatalogEntry, firings: Firing[]): void {
    if (firings.length === 0 || this.closed) return;
    if (this.ctx.paused?.(entry.pipeline.name) === true) {
      // Let pass for now: unpausing decides which instants missed while paused run (see control/unpause.ts).
      this.ctx.log.write(`not catching up ${entry.pipeline.name}: paused`);
      this.ctx.handled.done(entry.pipeline.name, firings.map((firing) => firing.instant));
      return;
    }
    const waiting = [...(this.waiting.get(entry.pipeline.name) ?? []), ...firings.map((firing) => ({ entry, firing }))];
    this.waiting.set(entry.pipeline.name, waiting);
    if ((this.active.get(entry.pipeline.name)?.size ?? 0) === 0) this.startNext(entry.pipeline.name);
  }

  /** Starts a run now, whatever the overlap policy (an explicit ask); resolves with its id once it has started. */
  trigger(entry: CatalogEntry, firing: Firing, starter?: RunStarter): Promise<string> {
    if (this.closed) return Promise.reject(new Error('the daemon is stopping'));
    return this.start(entry, firing, starter);
  }

  /** Stops one run the daemon owns; undefined when it owns no such run. */
  stop(runId: string): ActiveRun | undefined {
    const run = this.inFlight().find((active) => active.runId === runId);
    run?.stop.abort();
    return run;
  }

  inFlight(): ActiveRun[] {
    return [...this.active.values()].flatMap((runs) => [...runs]);
  }

  activeCount(pipeline: string): number {
    return this.active.get(pipeline)?.size ?? 0;
  }

  /** Drop what waits (a cluster scheduler that lost its lease); runs going on continue. */
  dropWaiting(): void {
    for (const [pipeline, items] of this.waiting) this.ctx.handled.release(pipeline, items.map((item) => item.firing.instant));
    this.waiting.clear();
  }

  /** Start nothing more; drop what waits. */
  close(): void {
    this.closed = true;
    this.waiting.clear();
  }

  /** Resolves when every run has ended (or when `timeoutMs` passes; then false). */
  async idle(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: LongTimer | undefined;
      await Promise.race([Promise.all([...this.running]), new Promise((resolve) => (timer = setLongTimeout(() => resolve(undefined), left).unref()))]);
      timer?.clear();
    }
    return true;
  }

  private startNext(pipeline: string): void {
    const next = this.waiting.get(pipeline)?.shift();
    if (next !== undefined) this.startQuietly(next.entry, next.firing);
  }

  /** A run nobody waits on: its failure to start is in the daemon's log already. */
  private startQuietly(entry: CatalogEntry, firing: Firing): void {
    this.start(entry, firing).catch(() => undefined);
  }

  private start(entry: CatalogEntry, firing: Firing, starter?: RunStarter): Promise<string> {
    const { pipeline } = entry;
    const active: ActiveRun = { pipeline: pipeline.name, runId: undefined, instant: firing.instant, startedAt: new Date(), stop: new AbortController() };
    let started: (runId: string) => void = () => undefined;
    let notStarted: (error: unknown) => void = () => undefined;
    const startedPromise = new Promise<string>((resolve, reject) => {
      started = resolve;
      notStarted = reject;
    });
    const runs = this.active.get(pipeline.name) ?? new Set<ActiveRun>();
    this.active.set(pipeline.name, runs);
    runs.add(active);
    const sink: EventSink = (event: FlowEvent) => {
      if (event.kind === 'run-started') {
        active.runId = event.run.runId;
        active.startedAt = event.at;
        const late = event.at.getTime() - firing.instant.getTime();
        const how = firing.trigger === 'api' ? `run ${event.run.runId}` : `run ${event.run.runId}, ${late} ms after its instant`;
        this.ctx.log.write(`fired ${pipeline.name} (${firing.trigger}) for ${this.when(entry, firing.instant)}: ${how}`, event.at);
        started(event.run.runId);
        this.ctx.onChange();
      }
    };
    const sinks = [sink, ...(this.ctx.observe === undefined ? [] : [this.ctx.observe(pipeline.name)])];
    const signal = AbortSignal.any([this.ctx.stop, active.stop.signal]);
    const run =
      starter?.({ signal, force: this.ctx.force, sinks }) ??
      this.claimed(entry, firing, (runId) => executeRun(this.ctx.services, {
        pipeline,
        runId,
        plan: entry.plan,
        trigger: firing.trigger,
        logicalDate: firing.instant,
        sinks,
        signal,
        force: this.ctx.force,
        shared: loggedSlots(this.ctx.slots, (message) => this.ctx.log.write(`run ${active.runId ?? '(starting)'} of ${pipeline.name}: ${message}`)),
        runAs: entry.runAs,
        params: firing.params,
        // A run asked for through the API is no instant of the schedule: it leaves what counts as handled alone.
        recorded: firing.trigger === 'api' ? undefined : () => this.ctx.handled.done(pipeline.name, [firing.instant]),
      }));
    const done = run
      .then((completed) => {
        if (completed === undefined) {
          notStarted(new Error(`${pipeline.name} for ${this.when(entry, firing.instant)} is not this scheduler's to run`));
          return;
        }
        const { record } = completed;
        const failed = record.tasks.filter((task) => task.status === 'failed').map((task) => task.id);
        const took = record.duration_ms === null ? '' : ` in ${formatDuration(record.duration_ms)}`;
        this.ctx.log.write(`run ${record.id} of ${pipeline.name} ${record.status}${took}${failed.length > 0 ? ` (failed: ${failed.join(', ')})` : ''}`);
      })
      .catch((error: unknown) => {
        notStarted(error);
        this.ctx.log.write(`run of ${pipeline.name} for ${this.when(entry, firing.instant)} could not run: ${(error as Error).message}`);
      })
      .finally(() => {
        runs.delete(active);
        this.running.delete(done);
        this.ctx.onChange();
        if (!this.closed) this.startNext(pipeline.name);
      });
    this.running.add(done);
    return startedPromise;
  }

  /**
   * In a cluster, a scheduled instant runs only once claimed, under the id the claim gives. Taken: another
   * scheduler (or an earlier firing) has it, so it is handled. Not the leader: this scheduler lost its lease, so the
   * instant is left to the active one. Undefined: nothing ran.
   */
  private async claimed(entry: CatalogEntry, firing: Firing, run: (runId: string | undefined) => Promise<CompletedRun>): Promise<CompletedRun | undefined> {
    if (this.ctx.claim === undefined || firing.trigger === 'api') return run(undefined);
    const name = entry.pipeline.name;
    const claim = await this.ctx.claim(name, firing.instant);
    if (claim.kind === 'claimed') return run(claim.runId);
    if (claim.kind === 'taken') {
      this.ctx.log.write(`${name} for ${this.when(entry, firing.instant)}: run ${claim.runId} was already started by a scheduler; not run again`);
      this.ctx.handled.done(name, [firing.instant]);
    } else {
      this.ctx.log.write(`${name} for ${this.when(entry, firing.instant)}: not fired, this scheduler no longer holds the lease`);
      this.ctx.handled.release(name, [firing.instant]);
    }
    return undefined;
  }

  private when(entry: CatalogEntry, instant: Date): string {
    return isoWithOffset(instant, entry.zone);
  }
}
