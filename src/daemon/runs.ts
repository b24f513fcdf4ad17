/**
 * The daemon's runs: starts each through the same path as `flow run` (recorded, hooks fired), applies each
 * pipeline's overlap policy — skip (record a skipped run), queue (at most one waits), allow (up to max_active_runs)
 * — and runs catch-up instants one after another. Nothing here waits on history before a run starts: the run's
 * own start is the first thing that happens.
 */
import type { EventSink, FlowEvent, Trigger } from '../engine/events.js';
import type { Slots } from '../engine/slots.js';
import { executeRun, type RunServices } from '../runs/execute.js';
import { formatDuration } from '../util/duration.js';
import { isoWithOffset } from '../util/time.js';
import type { CatalogEntry } from './catalog.js';
import type { HandledInstants } from './handled.js';
import type { DaemonLog } from './log.js';
import { recordSkipped } from './skipped.js';
import { loggedSlots } from './slot-wait.js';

export interface Firing {
  instant: Date;
  trigger: Extract<Trigger, 'schedule' | 'catchup'>;
}

export interface ActiveRun {
  pipeline: string;
  runId: string | undefined;
  instant: Date;
  startedAt: Date;
}

export interface DaemonRunsContext {
  services: RunServices;
  slots: Slots;
  log: DaemonLog;
  handled: HandledInstants;
  stop: AbortSignal;
  force: AbortSignal;
  onChange: () => void;
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
    const active = this.active.get(pipeline.name) ?? new Set();
    const waiting = this.waiting.get(pipeline.name) ?? [];
    if (active.size === 0 && waiting.length === 0) return this.start(entry, firing);
    const busy = [...active][0]?.runId ?? 'a catch-up run';
    if (pipeline.overlap === 'allow' && active.size < pipeline.maxActiveRuns) return this.start(entry, firing);
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
    void recordSkipped(this.ctx.services.store, entry, firing.instant, firing.trigger, reason).then(
      () => this.ctx.handled.done(pipeline.name, [firing.instant]),
      (error: unknown) => this.ctx.log.write(`could not record the skipped run of ${pipeline.name}: ${(error as Error).message}`),
    );
  }

  /**
   * Catch-up instants, already held by the caller: run one after another, oldest first, behind whatever runs now.
   * Each is handled when its own run is recorded, so a daemon killed halfway leaves the rest to the next start.
   */
  backlog(entry: CatalogEntry, firings: Firing[]): void {
    if (firings.length === 0 || this.closed) return;
    const waiting = [...(this.waiting.get(entry.pipeline.name) ?? []), ...firings.map((firing) => ({ entry, firing }))];
    this.waiting.set(entry.pipeline.name, waiting);
    if ((this.active.get(entry.pipeline.name)?.size ?? 0) === 0) this.startNext(entry.pipeline.name);
  }

  inFlight(): ActiveRun[] {
    return [...this.active.values()].flatMap((runs) => [...runs]);
  }

  activeCount(pipeline: string): number {
    return this.active.get(pipeline)?.size ?? 0;
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
      await Promise.race([Promise.all([...this.running]), new Promise((resolve) => setTimeout(resolve, Math.min(left, 2_147_483_647)).unref())]);
    }
    return true;
  }

  private startNext(pipeline: string): void {
    const next = this.waiting.get(pipeline)?.shift();
    if (next !== undefined) this.start(next.entry, next.firing);
  }

  private start(entry: CatalogEntry, firing: Firing): void {
    const { pipeline } = entry;
    const active: ActiveRun = { pipeline: pipeline.name, runId: undefined, instant: firing.instant, startedAt: new Date() };
    const runs = this.active.get(pipeline.name) ?? new Set<ActiveRun>();
    this.active.set(pipeline.name, runs);
    runs.add(active);
    const sink: EventSink = (event: FlowEvent) => {
      if (event.kind === 'run-started') {
        active.runId = event.run.runId;
        active.startedAt = event.at;
        const late = event.at.getTime() - firing.instant.getTime();
        this.ctx.log.write(`fired ${pipeline.name} (${firing.trigger}) for ${this.when(entry, firing.instant)}: run ${event.run.runId}, ${late} ms after its instant`, event.at);
        this.ctx.onChange();
      }
    };
    const done = executeRun(this.ctx.services, {
      pipeline,
      plan: entry.plan,
      trigger: firing.trigger,
      logicalDate: firing.instant,
      sinks: [sink],
      signal: this.ctx.stop,
      force: this.ctx.force,
      shared: loggedSlots(this.ctx.slots, (message) => this.ctx.log.write(`run ${active.runId ?? '(starting)'} of ${pipeline.name}: ${message}`)),
      runAs: entry.runAs,
      recorded: () => this.ctx.handled.done(pipeline.name, [firing.instant]),
    })
      .then(({ record }) => {
        const failed = record.tasks.filter((task) => task.status === 'failed').map((task) => task.id);
        const took = record.duration_ms === null ? '' : ` in ${formatDuration(record.duration_ms)}`;
        this.ctx.log.write(`run ${record.id} of ${pipeline.name} ${record.status}${took}${failed.length > 0 ? ` (failed: ${failed.join(', ')})` : ''}`);
      })
      .catch((error: unknown) => this.ctx.log.write(`run of ${pipeline.name} for ${this.when(entry, firing.instant)} could not run: ${(error as Error).message}`))
      .finally(() => {
        runs.delete(active);
        this.running.delete(done);
        this.ctx.onChange();
        if (!this.closed) this.startNext(pipeline.name);
      });
    this.running.add(done);
  }

  private when(entry: CatalogEntry, instant: Date): string {
    return isoWithOffset(instant, entry.zone);
  }
}
