/**
 * `flow daemon`: fires every pipeline of the pipelines directory at its schedule's instants, in its zone, through
 * the same executor as `flow run`. One timer for the next due instant; after each wake the wall clock decides what
 * is due. A clock that jumped (a step, a suspend) is handled by cronie's rules (clock-jump.ts); instants those rules
 * do not run, and those that went by while the daemon was down, are missed, and handled by the pipeline's
 * `catchup`. Reloads when the directory changes or on SIGHUP; stops gracefully.
 */
import { prestartSpawner } from '../engine/spawner/client.js';
import { watch, type FSWatcher } from 'node:fs';
import { hostname } from 'node:os';
import type { EventSink } from '../engine/events.js';
import { Slots } from '../engine/slots.js';
import type { RunServices } from '../runs/execute.js';
import { nextFireTime, fireTimesBetween } from '../schedule/fire-times.js';
import { currentBoot } from '../util/proc.js';
import { ensureDir } from '../util/fs.js';
import { formatDuration } from '../util/duration.js';
import { isoWithOffset } from '../util/time.js';
import { Catalog, type CatalogEntry } from './catalog.js';
import { catchUp } from './catchup.js';
import { ClockWatch, describeJump, distrustTheFuture, resumeFrom, splitDue, type Jump } from './clock-jump.js';
import { HandledInstants } from './handled.js';
import type { DaemonLog } from './log.js';
import { DaemonRuns } from './runs.js';
import type { ClusterGate } from './cluster/gate.js';
import { DaemonState, type InstantState } from './state.js';
import { StatusWriter, type DaemonStatus } from './status-file.js';
import { WakeTimer } from './timer.js';

const RELOAD_DEBOUNCE_MS = 150;

export interface DaemonOptions {
  dir: string;
  services: RunServices;
  log: DaemonLog;
  maxTasks: number;
  /** A further sink for each run of a pipeline (the API's event stream). */
  observe?: ((pipeline: string) => EventSink) | undefined;
  /** Whether a pipeline is paused (src/control/paused.ts). */
  paused?: ((pipeline: string) => boolean) | undefined;
  /** Set in a cluster: the daemon starts as a standby and fires only while the gate says it is active. */
  cluster?: ClusterGate | undefined;
}

/** What the control API (src/daemon/control.ts) reads and drives. */
export interface DaemonView {
  catalog: Catalog;
  runs: DaemonRuns;
  log: DaemonLog;
  services: RunServices;
  stopping(): boolean;
}

export class Daemon {
  private readonly catalog: Catalog;
  private readonly next = new Map<string, Date>();
  private readonly timer = new WakeTimer(() => this.wake());
  private readonly stopRuns = new AbortController();
  private readonly forceRuns = new AbortController();
  private readonly runs: DaemonRuns;
  private readonly handled: HandledInstants;
  private readonly status: StatusWriter;
  private readonly startedAt = new Date();
  private watcher: FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly clock = new ClockWatch(Date.now());
  private broken: { file: string; error: string }[] = [];

  private constructor(
    private readonly options: DaemonOptions,
    private readonly state: InstantState,
  ) {
    this.catalog = new Catalog(options.dir);
    this.handled = new HandledInstants(state);
    this.runs = new DaemonRuns({
      services: options.services,
      slots: new Slots(options.maxTasks),
      log: options.log,
      handled: this.handled,
      stop: this.stopRuns.signal,
      force: this.forceRuns.signal,
      onChange: () => this.status.changed(),
      observe: options.observe,
      paused: options.paused,
      claim: options.cluster === undefined ? undefined : (pipeline, instant) => (options.cluster as ClusterGate).claim(pipeline, instant),
    });
    this.status = new StatusWriter(options.services.store.layout.home, () => this.snapshot());
  }

  static async start(options: DaemonOptions): Promise<Daemon> {
    const state = options.cluster?.state ?? (await DaemonState.open(options.services.store.layout.home, (message) => options.log.write(message)));
    const daemon = new Daemon(options, state);
    // Tasks start from the spawner, whatever memory the daemon grows to (src/engine/spawner); it boots while pipelines load.
    prestartSpawner();
    ensureDir(options.dir);
    await daemon.load('started');
    // A cluster's scheduler starts as a standby: it catches up when it becomes active (see activate).
    if (options.cluster === undefined) {
      distrustTheFuture(state, options.log);
      daemon.catchUpAtStart();
      daemon.reboot();
    }
    daemon.watch();
    daemon.arm();
    await daemon.status.writeNow();
    return daemon;
  }

  get view(): DaemonView {
    return {
      catalog: this.catalog,
      runs: this.runs,
      log: this.options.log,
      services: this.options.services,
      stopping: () => this.stopping,
    };
  }

  /** Re-reads the pipelines directory (a file changed, or SIGHUP). */
  async reload(why: string): Promise<void> {
    if (this.stopping) return;
    await this.load(why);
    this.arm();
    this.status.changed();
  }

  /**
   * This scheduler took the cluster's lease (its state was just read from Redis): it catches up what the one before
   * it had not handled, as each pipeline's `catchup` says, and fires from now on.
   */
  activate(): void {
    if (this.stopping) return;
    distrustTheFuture(this.state, this.options.log);
    this.catchUpAtStart('before this scheduler took over');
    this.reboot();
    this.arm();
    this.status.changed();
  }

  /** The lease is lost: fire nothing more (what waits is dropped; runs going on end as they would). */
  standBy(): void {
    this.runs.dropWaiting();
    this.status.changed();
  }

  /** The cluster's lease changed hands: `flow status` shows it. */
  roleChanged(): void {
    this.status.changed();
  }

  /** Stop firing; give running runs up to `graceMs`, then end them. A second call to `force` kills at once. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.timer.stop();
    this.watcher?.close();
    clearTimeout(this.reloadTimer);
    this.runs.close();
    const inFlight = this.runs.inFlight().length;
    this.options.log.write(inFlight === 0 ? 'stopping: no runs in flight' : `stopping: waiting up to ${Math.round(graceMs / 1000)}s for ${inFlight} run(s) to finish`);
    await this.status.writeNow();
    if (!(await this.runs.idle(graceMs))) {
      this.options.log.write(`grace over: ending ${this.runs.inFlight().length} run(s); their tasks get SIGTERM, then SIGKILL after their kill_grace`);
      this.stopRuns.abort();
      await this.runs.idle();
    }
    await this.state.flush();
    await this.status.writeNow();
    this.options.log.write('stopped');
  }

  force(): void {
    this.options.log.write('ending every task now (SIGKILL)');
    this.stopRuns.abort();
    this.forceRuns.abort();
  }

  private async load(why: string): Promise<void> {
    const change = await this.catalog.reload();
    this.broken = [];
    for (const problem of change.broken) {
      const kept = problem.kept === undefined ? 'not scheduled' : `keeping the last good version of ${problem.kept} scheduled`;
      this.options.log.write(`file error: ${problem.message}; ${kept}`);
      if (problem.kept === undefined) this.broken.push({ file: problem.file, error: problem.message });
    }
    for (const name of change.removed) this.options.log.write(`removed ${name}: no longer scheduled`);
    const now = new Date();
    for (const entry of this.catalog.entries.values()) {
      if (change.added.includes(entry.pipeline.name) || change.changed.includes(entry.pipeline.name) || !this.next.has(entry.file)) {
        this.schedule(entry, now);
      }
    }
    for (const file of [...this.next.keys()]) if (!this.catalog.entries.has(file)) this.next.delete(file);
    const count = [...this.catalog.entries.values()].filter((entry) => entry.schedule !== undefined && !entry.schedule.reboot).length;
    const parts = [change.added.length > 0 ? `added ${change.added.join(', ')}` : '', change.changed.length > 0 ? `changed ${change.changed.join(', ')}` : '']
      .filter(Boolean)
      .join('; ');
    this.options.log.write(`${why}: ${count} scheduled pipeline(s) from ${this.options.dir}${parts ? ` (${parts})` : ''}`);
  }

  /**
   * The entry's next instant after now; for a fixed-time pipeline while the clock catches up after a step back, after
   * the latest time seen, so it does not run twice (cron.c). The last instant handled is at most now: a future one
   * was set aside at start.
   */
  private schedule(entry: CatalogEntry, now: Date): void {
    const schedule = entry.schedule;
    if (schedule === undefined || schedule.reboot) {
      this.next.delete(entry.file);
      return;
    }
    const after = schedule.kind === 'fixed' && this.clock.highest > now.getTime() ? new Date(this.clock.highest) : now;
    const next = nextFireTime(schedule, entry.zone, after);
    if (next === undefined) this.next.delete(entry.file);
    else this.next.set(entry.file, next);
  }

  private catchUpAtStart(why = 'while the daemon was down'): void {
    const now = new Date();
    for (const entry of this.catalog.entries.values()) {
      if (entry.schedule === undefined || entry.schedule.reboot) continue;
      const last = this.state.lastInstant(entry.pipeline.name);
      if (last === undefined) {
        // First seen: nothing was missed; remember now so that later downtime is measured from here.
        this.state.setLastInstant(entry.pipeline.name, now);
        continue;
      }
      // Instants from the entry's next one on are the timer's: `load` chose it from an earlier reading of the clock,
      // and an instant between the two readings must be fired once, not also caught up.
      const next = this.next.get(entry.file)?.getTime() ?? Infinity;
      const missed = fireTimesBetween(entry.schedule, entry.zone, last, now, 100_000).filter((instant) => instant.getTime() < next);
      this.catchUpSafely(entry, missed, why);
    }
  }

  /** The missed instants are held at once, so nothing handled meanwhile moves the remembered instant past them. */
  private catchUpSafely(entry: CatalogEntry, missed: Date[], why: string): void {
    this.handled.hold(entry.pipeline.name, missed);
    this.catchUp(entry, missed, why).catch((error: unknown) => this.options.log.write(`catching up ${entry.pipeline.name} failed: ${(error as Error).message}`));
  }

  private async catchUp(entry: CatalogEntry, missed: Date[], why: string): Promise<void> {
    await catchUp({ store: this.options.services.store, handled: this.handled, log: this.options.log, runs: this.runs }, entry, missed, why);
  }

  /** `@reboot` pipelines run once per boot, as cronie's @reboot jobs do (it keeps a marker for the boot). */
  private reboot(): void {
    const boot = currentBoot();
    const entries = [...this.catalog.entries.values()].filter((entry) => entry.schedule?.reboot === true);
    if (entries.length === 0) return;
    if (boot !== null && this.state.bootId === boot) {
      this.options.log.write(`@reboot: ${entries.map((entry) => entry.pipeline.name).join(', ')} already ran in this boot; not run again`);
      return;
    }
    this.state.bootId = boot;
    const now = new Date();
    for (const entry of entries) this.runs.fire(entry, { instant: now, trigger: 'schedule' });
  }

  private arm(): void {
    let earliest: number | undefined;
    for (const next of this.next.values()) earliest = earliest === undefined ? next.getTime() : Math.min(earliest, next.getTime());
    this.timer.arm(earliest);
  }

  private wake(): void {
    if (this.stopping) return;
    const now = new Date();
    const jump = this.noticeJump(now);
    // A standby follows the schedule without firing: the active scheduler fires, and a takeover catches up.
    const firing = this.options.cluster?.active() ?? true;
    for (const [file, next] of this.next) {
      if (next.getTime() > now.getTime()) continue;
      const entry = this.catalog.entries.get(file);
      if (entry?.schedule === undefined) continue;
      const due = [next, ...fireTimesBetween(entry.schedule, entry.zone, next, now, 100_000)];
      if (firing) {
        const { fire, missed } = splitDue(due, now.getTime(), jump, entry.schedule.kind);
        if (missed.length > 0) this.catchUpSafely(entry, missed, jump.kind === 'medium' || jump.kind === 'large' ? `while the clock jumped forward by ${formatDuration(jump.forwardMs)}` : 'while the daemon was not awake');
        for (const instant of fire) this.runs.fire(entry, { instant, trigger: 'schedule' });
      }
      const after = nextFireTime(entry.schedule, entry.zone, due.at(-1) ?? now);
      if (after === undefined) this.next.delete(file);
      else this.next.set(file, after);
    }
    this.arm();
    this.status.changed();
  }

  /** Compares the clock with when the daemon last looked; says what a jump changes, and reschedules after a step back. */
  private noticeJump(now: Date): Jump {
    const jump = this.clock.look(now.getTime());
    const message = describeJump(jump);
    if (message !== undefined) this.options.log.write(message);
    if (jump.kind === 'back-large') {
      this.state.resetFuture(now);
      this.handled.forgetFuture(now);
    }
    if (jump.kind === 'back' || jump.kind === 'back-large') {
      for (const entry of this.catalog.entries.values()) {
        if (entry.schedule === undefined || entry.schedule.reboot) continue;
        const next = nextFireTime(entry.schedule, entry.zone, new Date(resumeFrom(jump, entry.schedule.kind, now.getTime())));
        if (next === undefined) this.next.delete(entry.file);
        else this.next.set(entry.file, next);
      }
    }
    return jump;
  }

  private watch(): void {
    const trigger = (): void => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => {
        this.reload('reloaded').catch((error: unknown) => this.options.log.write(`reload failed: ${(error as Error).message}`));
      }, RELOAD_DEBOUNCE_MS);
    };
    try {
      this.watcher = watch(this.options.dir, trigger);
      this.watcher.on('error', (error) => this.options.log.write(`watching ${this.options.dir} failed: ${error.message}; SIGHUP still reloads`));
    } catch (error) {
      this.options.log.write(`cannot watch ${this.options.dir}: ${(error as Error).message}; checking it every second instead`);
      setInterval(trigger, 1000).unref();
    }
  }

  private snapshot(): DaemonStatus {
    return {
      pid: process.pid,
      host: hostname(),
      started_at: isoWithOffset(this.startedAt),
      pipelines_dir: this.options.dir,
      stopping: this.stopping,
      pipelines: [...this.catalog.entries.values()].map((entry) => ({
        name: entry.pipeline.name,
        file: entry.file,
        schedule: entry.pipeline.schedule ?? null,
        timezone: entry.zone,
        next: this.next.has(entry.file) ? isoWithOffset(this.next.get(entry.file) as Date, entry.zone) : null,
        error: entry.error ?? null,
        active_runs: this.runs.activeCount(entry.pipeline.name),
      })),
      broken: this.broken,
      ...(this.options.cluster === undefined ? {} : { cluster: this.options.cluster.view() }),
      runs_in_flight: this.runs.inFlight().map((run) => ({ pipeline: run.pipeline, run_id: run.runId ?? null, logical_date: run.instant.toISOString(), started_at: isoWithOffset(run.startedAt) })),
    };
  }
}
