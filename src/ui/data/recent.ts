/**
 * The last runs' statuses per pipeline, for the pipelines page's strips. The history index holds the newest 1000
 * runs of all pipelines; a pipeline with fewer than `size` there (and a truncated index) gets the rest from its
 * newest run files once, in the background; after that the strips follow the executor's events, so a page render
 * costs one pass over the index and never a scan of the run files.
 */
import type { ApiEvent } from '../../api/event-hub.js';
import type { HistoryStore } from '../../store/history.js';
import { IndexMemo } from '../../store/index-memo.js';

export interface RecentRun {
  id: string;
  status: string;
  started_at: string;
}

export class RecentRuns {
  /** Newest last, at most `size` each, for pipelines completed from their files. */
  private readonly filled = new Map<string, RecentRun[]>();
  private filling: Promise<void> | undefined;
  private readonly index: IndexMemo;

  constructor(
    private readonly store: HistoryStore,
    private readonly size = 10,
    /** Told when the background fill has added runs the index did not have. */
    private readonly onFilled: () => void = () => undefined,
  ) {
    this.index = new IndexMemo(store);
  }

  /** Every pipeline's newest runs (newest last), from the index and what the fill and the events added. */
  async byPipeline(pipelines: readonly string[]): Promise<Map<string, RecentRun[]>> {
    const index = await this.index.get();
    const result = new Map<string, RecentRun[]>();
    for (const run of index.runs) {
      let list = result.get(run.pipeline);
      if (list === undefined) result.set(run.pipeline, (list = []));
      list.push({ id: run.id, status: run.status, started_at: run.started_at });
    }
    const live = new Map<string, RecentRun[]>();
    for (const run of this.live.values()) live.set(run.pipeline, [...(live.get(run.pipeline) ?? []), { id: run.id, status: run.status, started_at: run.started_at }]);
    for (const name of pipelines) {
      const fromIndex = result.get(name) ?? [];
      const extra = this.filled.get(name);
      const stored = [...(extra ?? []), ...fromIndex];
      const ended = new Set(stored.filter((run) => run.status !== 'running').map((run) => run.id));
      // An ended run stays ended: a "running" from the events whose end never came (its daemon died) does not win.
      const heard = (live.get(name) ?? []).filter((run) => run.status !== 'running' || !ended.has(run.id));
      result.set(name, merge(stored, heard, this.size));
    }
    if (index.truncated && this.filling === undefined) {
      const short = pipelines.filter((name) => (result.get(name)?.length ?? 0) < this.size);
      this.filling = this.fill(short);
    }
    return result;
  }

  /**
   * What the executor's events said of recent runs. The index is written after a run's event is sent, so a page
   * rendered on the event would read the run's previous state from it: the events' word wins (by run id).
   */
  private readonly live = new Map<string, RecentRun & { pipeline: string }>();

  /** Keeps the lists current from the events (the index has the run too, so merging by id never doubles it). */
  note(event: ApiEvent): void {
    if (event.kind !== 'run-started' && event.kind !== 'run-finished') return;
    const known = this.live.get(event.run_id);
    this.live.set(event.run_id, {
      pipeline: event.pipeline,
      id: event.run_id,
      status: event.kind === 'run-started' ? 'running' : String(event.status),
      started_at: known?.started_at ?? event.at,
    });
    if (this.live.size > 2000) this.live.delete(this.live.keys().next().value as string);
    const list = this.filled.get(event.pipeline);
    if (list === undefined) return;
    const status = event.kind === 'run-started' ? 'running' : String(event.status);
    const found = list.find((run) => run.id === event.run_id);
    if (found !== undefined) found.status = status;
    else list.push({ id: event.run_id, status, started_at: event.at });
    if (list.length > this.size) list.splice(0, list.length - this.size);
  }

  private async fill(pipelines: string[]): Promise<void> {
    let added = false;
    for (const name of pipelines) {
      const runs = await this.store.list({ pipeline: name, limit: this.size }).catch(() => []);
      const list = runs.reverse().map((run) => ({ id: run.id, status: run.status, started_at: run.started_at }));
      if (list.length > 0) {
        this.filled.set(name, list);
        added = true;
      }
    }
    if (added) this.onFilled();
  }
}

function merge(older: RecentRun[], newer: RecentRun[], size: number): RecentRun[] {
  const byId = new Map<string, RecentRun>();
  for (const run of [...older, ...newer]) byId.set(run.id, run);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(-size);
}
