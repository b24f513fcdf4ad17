/**
 * `flow ui` with no daemon: the pipelines as the directory has them, loaded as the daemon loads them (its Catalog),
 * kept until the directory changes (a watch), so a page render does not parse every file again.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { PipelineView } from '../../api/deps.js';
import { readPaused } from '../../control/paused.js';
import { Catalog, type CatalogEntry } from '../../daemon/catalog.js';
import { nextFireTimes } from '../../schedule/index.js';
import type { HistoryStore } from '../../store/history.js';
import { IndexMemo } from '../../store/index-memo.js';
import type { RunSummary } from '../../store/summary.js';
import { isoWithOffset } from '../../util/time.js';

export interface Loaded {
  entries: CatalogEntry[];
  broken: { file: string; error: string }[];
}

export class LocalCatalog {
  private loaded: Promise<Loaded> | undefined;
  private watcher: FSWatcher | undefined;
  private readonly index: IndexMemo;

  constructor(
    private readonly dir: string,
    private readonly home: string,
    private readonly store: HistoryStore,
    /** Told when the directory changed (pages showing pipelines reload). */
    private readonly onChange: () => void = () => undefined,
  ) {
    this.index = new IndexMemo(store);
  }

  load(): Promise<Loaded> {
    if (this.loaded === undefined) {
      this.watch();
      const catalog = new Catalog(this.dir);
      this.loaded = catalog.reload().then((change) => ({
        entries: [...catalog.entries.values()],
        broken: change.broken.filter((problem) => problem.kept === undefined).map((problem) => ({ file: problem.file, error: problem.message })),
      }));
      this.loaded.catch(() => (this.loaded = undefined));
    }
    return this.loaded;
  }

  async views(now: Date, count = 5): Promise<PipelineView[]> {
    const { entries } = await this.load();
    const paused = readPaused(this.home);
    const last = new Map<string, RunSummary>((await this.index.get()).runs.map((run) => [run.pipeline, run]));
    const running = new Map<string, number>();
    for (const run of last.values()) if (run.status === 'running') running.set(run.pipeline, (running.get(run.pipeline) ?? 0) + 1);
    return entries
      .map((entry) => {
        const { pipeline } = entry;
        const next = entry.schedule === undefined || entry.schedule.reboot ? [] : nextFireTimes(entry.schedule, entry.zone, now, count);
        const pausedAt = paused.get(pipeline.name);
        return {
          name: pipeline.name,
          file: entry.file,
          description: pipeline.description ?? null,
          schedule: pipeline.schedule ?? null,
          timezone: entry.zone,
          next: next.map((instant) => isoWithOffset(instant, entry.zone)),
          paused: pausedAt !== undefined,
          paused_at: pausedAt === undefined ? null : isoWithOffset(pausedAt),
          tasks: pipeline.tasks.map((task) => task.id),
          params: pipeline.params,
          error: entry.error ?? null,
          active_runs: running.get(pipeline.name) ?? 0,
          last_run: last.get(pipeline.name) ?? null,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  close(): void {
    this.watcher?.close();
  }

  private watch(): void {
    if (this.watcher !== undefined) return;
    try {
      this.watcher = watch(this.dir, () => {
        this.loaded = undefined;
        this.onChange();
      });
    } catch {
      // No directory (yet): every load reads it again.
    }
  }
}
