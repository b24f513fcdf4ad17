/**
 * A run as people name it: its whole id, or a unique prefix of it (`20261122T1843`, like git's short hashes). An
 * ambiguous prefix is refused with the runs it matches; an unknown one with the nearest id.
 */
import { FlowError } from '../errors.js';
import type { HistoryStore } from './history.js';
import { isRunId } from './layout.js';
import type { RunRecord } from './record.js';
import { allRunRefs, type RunRef } from './run-files.js';
import { didYouMean } from '../util/suggest.js';

/** How many matches an ambiguous prefix lists. */
const SHOWN = 10;

/** Whether `text` could be (the start of) a run id rather than a pipeline name. */
export function looksLikeRunId(text: string): boolean {
  return /^\d{8}(T[\d.:Z-]*)?[0-9a-z-]*$/i.test(text) && text.length >= 8;
}

export async function resolveRunRef(store: HistoryStore, ref: string): Promise<RunRef> {
  const index = await store.index();
  if (isRunId(ref)) {
    const indexed = index.runs.find((run) => run.id === ref);
    if (indexed !== undefined) return { pipeline: indexed.pipeline, id: ref };
  }
  let matches: RunRef[] = index.runs.filter((run) => run.id.startsWith(ref)).map((run) => ({ pipeline: run.pipeline, id: run.id }));
  // The index holds the newest runs only: older ones are found by their files' names.
  if (matches.length === 0 || index.truncated) {
    const refs = await allRunRefs(store.layout);
    matches = refs.filter((candidate) => candidate.id.startsWith(ref));
    if (matches.length === 0) {
      throw new FlowError('E_RUN_NOT_FOUND', `no run ${ref}${didYouMean(ref, refs.slice(0, 1000).map((candidate) => candidate.id))}`, {
        hint: 'list runs with `flow history`',
      });
    }
  }
  if (matches.length > 1) {
    const exact = matches.find((candidate) => candidate.id === ref);
    if (exact !== undefined) return exact;
    const newest = [...matches].sort((a, b) => (a.id < b.id ? 1 : -1));
    const listed = newest.slice(0, SHOWN).map((candidate) => `${candidate.id} (${candidate.pipeline})`);
    const more = newest.length > SHOWN ? `, and ${newest.length - SHOWN} more` : '';
    throw new FlowError('E_AMBIGUOUS', `run id prefix "${ref}" matches ${newest.length} runs: ${listed.join(', ')}${more}`, {
      hint: 'give more of the id',
    });
  }
  return matches[0] as RunRef;
}

/** The run a reference names, read whole. */
export async function findRun(store: HistoryStore, ref: string): Promise<RunRecord> {
  const found = await resolveRunRef(store, ref);
  const record = await store.shownRun(found);
  if (record === undefined) throw new FlowError('E_RUN_NOT_FOUND', `no run ${ref}`, { hint: 'list runs with `flow history`' });
  return record;
}
