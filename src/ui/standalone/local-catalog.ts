/**
 * `flow ui` with no daemon: the pipelines as the directory has them, loaded as the daemon loads them (its Catalog),
 * kept until the directory changes (a watch), so a page render does not parse every file again.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { PipelineView } from '../../api/deps.js';
import { lastRunByPipeline, pipelineView } from '../../api/pipeline-view.js';
import { readPaused } from '../../control/paused.js';
import { Catalog, type CatalogEntry } from '../../daemon/catalog.js';
import type { HistoryStore } from '../../store/history.js';
import { IndexMemo } from '../../store/index-memo.js';

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
    const last = lastRunByPipeline((await this.index.get()).runs);
    // Without a daemon, a pipeline's run in flight is its newest one still running (a `flow run` of its own).
    return entries
      .map((entry) => {
        const newest = last.get(entry.pipeline.name);
        return pipelineView(entry, { paused, last, now, count, activeRuns: newest?.status === 'running' ? 1 : 0 });
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
