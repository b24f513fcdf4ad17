/**
 * The daemon's side of the control API: what `GET /api/v1/pipelines` shows of its catalog, and the changes clients
 * ask for — trigger (a run now, trigger `api`), stop, retry, pause and unpause — carried out by the same domain
 * functions the CLI uses when no daemon runs. Every run still starts through executeRun, via DaemonRuns.
 */
import { zoneOf, parseDate } from '../backfill/dates.js';
import type { ApiDeps, PauseView, PipelineView, RetryBody, StopResult, TriggerBody } from '../api/deps.js';
import type { EventHub } from '../api/event-hub.js';
import { lastRunByPipeline, pipelineView, type ViewFacts } from '../api/pipeline-view.js';
import { readPaused, setPaused } from '../control/paused.js';
import { stopRun } from '../control/stop.js';
import { unpauseCatchUp } from '../control/unpause.js';
import { FlowError } from '../errors.js';
import { planRun } from '../engine/plan.js';
import { resolveRunRef } from '../store/find-run.js';
import { prepareRetry, retryRun } from '../runs/retry.js';
import { IndexMemo } from '../store/index-memo.js';
import type { RunSummary } from '../store/summary.js';
import { didYouMean } from '../util/suggest.js';
import { isoWithOffset } from '../util/time.js';
import type { CatalogEntry } from './catalog.js';
import { describeInstants } from './catchup.js';
import type { DaemonView } from './daemon.js';

export class DaemonControl implements ApiDeps {
  private readonly index: IndexMemo;

  constructor(
    private readonly daemon: DaemonView,
    private readonly hub: EventHub,
  ) {
    this.index = new IndexMemo(daemon.services.store);
  }

  get store() {
    return this.daemon.services.store;
  }

  private get home(): string {
    return this.store.layout.home;
  }

  async pipelines(options: { next?: number } = {}): Promise<PipelineView[]> {
    const last = await this.lastRuns();
    const paused = readPaused(this.home);
    const now = new Date();
    return [...this.daemon.catalog.entries.values()]
      .map((entry) => this.viewOf(entry, { paused, last, now, count: options.next ?? 5 }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async pipeline(name: string): Promise<PipelineView> {
    const entry = this.entry(name);
    return this.viewOf(entry, { paused: readPaused(this.home), last: await this.lastRuns(), now: new Date(), count: 5 });
  }

  async trigger(name: string, body: TriggerBody): Promise<{ run_id: string; pipeline: string }> {
    const entry = this.entry(name);
    if (this.daemon.stopping()) throw new FlowError('E_LOCKED', 'the daemon is stopping: no run starts now');
    const instant = body.date === undefined ? new Date() : parseDate(body.date, entry.zone, 'date').start;
    const runId = await this.daemon.runs.trigger(entry, { instant, trigger: 'api', params: body.params });
    return { run_id: runId, pipeline: entry.pipeline.name };
  }

  async pause(name: string): Promise<PauseView> {
    const entry = this.entry(name);
    const change = await setPaused(this.home, entry.pipeline.name, true, new Date(), (message) => this.daemon.log.write(message));
    if (!change.was) this.daemon.log.write(`paused ${entry.pipeline.name}: its instants are recorded as skipped until it is unpaused`);
    return { pipeline: entry.pipeline.name, paused: true, paused_at: change.pausedAt === undefined ? null : isoWithOffset(change.pausedAt), catchup: [] };
  }

  async unpause(name: string): Promise<PauseView> {
    const entry = this.entry(name);
    const change = await setPaused(this.home, entry.pipeline.name, false, new Date(), (message) => this.daemon.log.write(message));
    // Taken once the file says unpaused: an instant fired before that was still recorded as paused, and is counted.
    const now = new Date();
    if (!change.was || change.pausedAt === undefined) return { pipeline: entry.pipeline.name, paused: false, paused_at: null, catchup: [] };
    let run: Date[] = [];
    if (entry.schedule !== undefined && !entry.schedule.reboot) {
      const decision = await unpauseCatchUp(this.store, entry.pipeline, entry.schedule, entry.zone, change.pausedAt, now);
      run = decision.run;
      const policy = entry.pipeline.catchup === false ? 'catchup is false' : `catchup: ${String(entry.pipeline.catchup)}`;
      const missed = decision.run.length + decision.pass.length;
      this.daemon.log.write(`unpaused ${entry.pipeline.name}: ${missed} instant(s) went by while paused; ${run.length === 0 ? 'none runs' : `running ${describeInstants(run)}`} (${policy})`);
      this.daemon.runs.backlog(entry, run.map((instant) => ({ instant, trigger: 'catchup' as const })));
    } else {
      this.daemon.log.write(`unpaused ${entry.pipeline.name}`);
    }
    return { pipeline: entry.pipeline.name, paused: false, paused_at: null, catchup: run.map((instant) => isoWithOffset(instant, entry.zone)) };
  }

  async stop(ref: string): Promise<StopResult> {
    return stopRun(this.store, ref, (runId) => this.daemon.runs.stop(runId) !== undefined);
  }

  async retry(ref: string, body: RetryBody): Promise<{ run_id: string; pipeline: string; tasks: string[] }> {
    const { id } = await resolveRunRef(this.store, ref);
    const prepared = await prepareRetry(this.store, { runId: id, task: body.task, downstream: body.downstream });
    const { pipeline } = prepared;
    const entry: CatalogEntry = this.daemon.catalog.byName(pipeline.name) ?? {
      file: pipeline.file,
      pipeline,
      plan: planRun(pipeline),
      schedule: undefined,
      zone: zoneOf(pipeline),
      error: undefined,
      runAs: null,
      mtimeMs: 0,
    };
    const runId = await this.daemon.runs.trigger(entry, { instant: new Date(), trigger: 'api' }, (run) => retryRun(this.daemon.services, prepared, run));
    return { run_id: runId, pipeline: pipeline.name, tasks: prepared.tasks };
  }

  subscribe(listener: Parameters<ApiDeps['subscribe']>[0]): () => void {
    return this.hub.subscribe(listener);
  }

  private entry(name: string): CatalogEntry {
    const entry = this.daemon.catalog.byName(name);
    if (entry !== undefined) return entry;
    const names = [...this.daemon.catalog.entries.values()].map((item) => item.pipeline.name);
    throw new FlowError('E_PIPELINE_NOT_FOUND', `the daemon has no pipeline "${name}"${didYouMean(name, names)}`, {
      hint: names.length > 0 ? `its pipelines: ${names.sort().join(', ')}` : 'it has loaded no pipelines; check `flow list`',
    });
  }

  private async lastRuns(): Promise<Map<string, RunSummary>> {
    return lastRunByPipeline((await this.index.get()).runs);
  }

  private viewOf(entry: CatalogEntry, facts: Omit<ViewFacts, 'activeRuns'>): PipelineView {
    return pipelineView(entry, { ...facts, activeRuns: this.daemon.runs.activeCount(entry.pipeline.name) });
  }
}
