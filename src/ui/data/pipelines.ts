/**
 * The pipelines page's rows: what the API tells of each pipeline, its schedule in words (cached per expression:
 * cronstrue is not free, and 500 pipelines share few expressions), and its strip of recent runs.
 */
import type { PipelineView } from '../../api/deps.js';
import { describeSchedule } from '../../schedule/describe.js';
import { parseSchedule } from '../../schedule/index.js';
import type { RecentRun } from './recent.js';
import type { RecentStrips } from './run-reader.js';

export interface PipelineRow {
  view: PipelineView;
  words: string | null;
  recent: RecentRun[];
  /** The newest run, from the events when they know more than the index. */
  last: RecentRun | null;
}

function newest(view: PipelineView, recent: RecentRun[]): RecentRun | null {
  const fromEvents = recent.at(-1);
  const fromView = view.last_run === null ? null : { id: view.last_run.id, status: view.last_run.status, started_at: view.last_run.started_at };
  if (fromEvents === undefined) return fromView;
  return fromView === null || fromEvents.id >= fromView.id ? fromEvents : fromView;
}

const words = new Map<string, Promise<string>>();

export function scheduleWords(expression: string | null): Promise<string | null> {
  if (expression === null) return Promise.resolve(null);
  let found = words.get(expression);
  if (found === undefined) {
    found = (async () => {
      try {
        return await describeSchedule(parseSchedule(expression));
      } catch {
        return expression;
      }
    })();
    if (words.size > 10_000) words.clear();
    words.set(expression, found);
  }
  return found;
}

export async function pipelineRows(views: PipelineView[], recent: RecentStrips): Promise<PipelineRow[]> {
  const strips = await recent.byPipeline(views.map((view) => view.name));
  return Promise.all(
    views.map(async (view) => {
      const recentRuns = strips.get(view.name) ?? [];
      return { view, words: await scheduleWords(view.schedule), recent: recentRuns, last: newest(view, recentRuns) };
    }),
  );
}
