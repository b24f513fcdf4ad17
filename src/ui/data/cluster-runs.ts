/**
 * The web UI's runs in cluster mode: read from the cluster's history in Redis, so every scheduler host's runs are
 * on every host's pages. A run Redis does not have (yet) is looked up in this host's store; an attempt whose log
 * file is on another host shows the tail Redis keeps of it.
 */
import type { ApiEvent } from '../../api/event-hub.js';
import { FlowError } from '../../errors.js';
import type { ClusterHistory } from '../../cluster/history/read.js';
import { LOG_TAIL_BYTES } from '../../cluster/history/keys.js';
import type { HistoryStore } from '../../store/history.js';
import { findRun } from '../../store/find-run.js';
import { startOfRunId } from '../../store/layout.js';
import type { RunRecord } from '../../store/record.js';
import type { RecentRun } from './recent.js';
import type { RecentStrips, RunReader } from './run-reader.js';

/** Ids read past a page's cursor: runs that started in the same millisecond as the cursor's run. */
const SAME_MS_SLACK = 20;

export function clusterRunReader(history: ClusterHistory, store: HistoryStore, close: () => void): RunReader {
  return {
    strips: (size) => new ClusterStrips(history, size),
    page: async (pipeline, { limit, before }) => {
      const max = before === undefined ? '+inf' : String(startOfRunId(before));
      const members = await history.redis.zrevrangebyscore(history.keys.pipelineRuns(pipeline), max, '-inf', 'LIMIT', 0, limit + 1 + SAME_MS_SLACK);
      const ids = members.filter((id) => before === undefined || id < before).sort().reverse();
      const shown = ids.slice(0, limit);
      const runs = await Promise.all(shown.map((id) => history.get(pipeline, id)));
      return { runs: runs.filter((run): run is RunRecord => run !== undefined), older: ids.length > limit ? (shown.at(-1) ?? null) : null };
    },
    find: async (ref) => {
      try {
        return await history.find(ref);
      } catch (error) {
        // Not in Redis: a run of this host whose record has not reached it is still in the local store.
        if (error instanceof FlowError && error.code === 'E_RUN_NOT_FOUND') return await findRun(store, ref);
        throw error;
      }
    },
    list: (query) => history.list(query),
    keptLog: (run, task, attempt) => history.log(run.pipeline, run.id, task, attempt),
    keptLogLimit: `${LOG_TAIL_BYTES / 1024} KiB`,
    close,
  };
}

/**
 * Strips read from Redis at each render (runs of other hosts send no events here). This host's events still win by
 * run id, as in the local strips: a page reloaded on an event may be read before the record reaches Redis.
 */
class ClusterStrips implements RecentStrips {
  private readonly heard = new Map<string, RecentRun & { pipeline: string }>();

  constructor(
    private readonly history: ClusterHistory,
    private readonly size: number,
  ) {}

  async byPipeline(pipelines: readonly string[]): Promise<Map<string, RecentRun[]>> {
    const lists = await Promise.all(
      pipelines.map(async (name) => {
        const stored = (await this.history.list({ pipeline: name, limit: this.size })).reverse().map(recentOf);
        const byId = new Map(stored.map((run) => [run.id, run]));
        for (const run of this.heard.values()) {
          const known = byId.get(run.id);
          // An ended run stays ended: a "running" whose end never came (its daemon died) does not win.
          if (run.pipeline === name && (known === undefined || run.status !== 'running' || known.status === 'running')) byId.set(run.id, run);
        }
        return [name, [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(-this.size)] as const;
      }),
    );
    return new Map(lists);
  }

  note(event: ApiEvent): void {
    if (event.kind !== 'run-started' && event.kind !== 'run-finished') return;
    const known = this.heard.get(event.run_id);
    const status = event.kind === 'run-started' ? 'running' : String(event.status);
    this.heard.set(event.run_id, { pipeline: event.pipeline, id: event.run_id, status, started_at: known?.started_at ?? event.at });
    if (this.heard.size > 2000) this.heard.delete(this.heard.keys().next().value as string);
  }
}

function recentOf(run: RunRecord): RecentRun {
  return { id: run.id, status: run.status, started_at: run.started_at };
}
