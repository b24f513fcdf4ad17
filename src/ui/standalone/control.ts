/**
 * The API's deps for `flow ui`, which runs no scheduler: reads come from the store and the pipelines directory (or
 * the daemon's view of its pipelines when one runs); changes go through the daemon's socket when one runs, as the
 * CLI's do. With no daemon, pause, unpause and stop still work (as `flow pause` and `flow stop` do without one); run
 * now and retry need a daemon to own the run, and say so.
 */
import { ApiClient, NoDaemonError } from '../../api/client.js';
import type { ApiDeps, PauseView, PipelineView, RetryBody, StopResult, TriggerBody } from '../../api/deps.js';
import type { ApiListener } from '../../api/event-hub.js';
import { setPaused } from '../../control/paused.js';
import { stopRun } from '../../control/stop.js';
import { FlowError } from '../../errors.js';
import type { HistoryStore } from '../../store/history.js';
import { didYouMean } from '../../util/suggest.js';
import { isoWithOffset } from '../../util/time.js';
import type { DaemonEvents } from './daemon-events.js';
import type { LocalCatalog } from './local-catalog.js';

export class StandaloneControl implements ApiDeps {
  private readonly client: ApiClient;

  constructor(
    readonly store: HistoryStore,
    private readonly home: string,
    private readonly catalog: LocalCatalog,
    private readonly events: DaemonEvents,
  ) {
    this.client = new ApiClient(home);
  }

  async pipelines(options: { next?: number } = {}): Promise<PipelineView[]> {
    return this.viaDaemon(() => this.client.call<PipelineView[]>('GET', '/pipelines'), () => this.catalog.views(new Date(), options.next));
  }

  async pipeline(name: string): Promise<PipelineView> {
    return this.viaDaemon(
      () => this.client.call<PipelineView>('GET', `/pipelines/${encodeURIComponent(name)}`),
      async () => {
        const views = await this.catalog.views(new Date());
        const view = views.find((item) => item.name === name);
        if (view !== undefined) return view;
        throw new FlowError('E_PIPELINE_NOT_FOUND', `no pipeline "${name}"${didYouMean(name, views.map((item) => item.name))}`);
      },
    );
  }

  trigger(name: string, body: TriggerBody): Promise<{ run_id: string; pipeline: string }> {
    return this.viaDaemon(() => this.client.call('POST', `/pipelines/${encodeURIComponent(name)}/trigger`, body), () => Promise.reject(needsDaemon('start a run')));
  }

  pause(name: string): Promise<PauseView> {
    return this.viaDaemon(() => this.client.call('POST', `/pipelines/${encodeURIComponent(name)}/pause`), () => this.pauseHere(name, true));
  }

  unpause(name: string): Promise<PauseView> {
    return this.viaDaemon(() => this.client.call('POST', `/pipelines/${encodeURIComponent(name)}/unpause`), () => this.pauseHere(name, false));
  }

  stop(ref: string): Promise<StopResult> {
    return this.viaDaemon(() => this.client.call('POST', `/runs/${encodeURIComponent(ref)}/stop`), () => stopRun(this.store, ref));
  }

  retry(ref: string, body: RetryBody): Promise<{ run_id: string; pipeline: string; tasks: string[] }> {
    return this.viaDaemon(() => this.client.call('POST', `/runs/${encodeURIComponent(ref)}/retry`, body), () => Promise.reject(needsDaemon('retry a run')));
  }

  subscribe(listener: ApiListener): () => void {
    return this.events.subscribe(listener);
  }

  /** Whether a daemon answers on the socket now. */
  daemonRuns(): Promise<boolean> {
    return this.client.available().catch(() => false);
  }

  private async viaDaemon<T>(daemon: () => Promise<T>, here: () => Promise<T>): Promise<T> {
    try {
      return await daemon();
    } catch (error) {
      if (error instanceof NoDaemonError) return here();
      throw error;
    }
  }

  private async pauseHere(name: string, paused: boolean): Promise<PauseView> {
    const view = await this.pipeline(name);
    // No daemon: nothing fires, so unpausing has no missed instants to run now; the next daemon decides from history.
    const change = await setPaused(this.home, view.name, paused, new Date());
    return { pipeline: view.name, paused, paused_at: paused && change.pausedAt !== undefined ? isoWithOffset(change.pausedAt) : null, catchup: [] };
  }
}

function needsDaemon(what: string): FlowError {
  return new FlowError('E_NO_DAEMON', `no daemon runs for this FLOW_HOME: flow ui cannot ${what} by itself`, {
    hint: 'start `flow daemon` (the run belongs to it), or use `flow run` in a terminal',
  });
}
