/**
 * Row-by-row updates of a long table: `<section id="…" data-live-rows="topic" data-row-url="/ui/fragments/x/">` holds
 * rows `<tr data-row="name">`. A message of the topic that names a row (`data.pipeline`) re-renders only that row
 * from `data-row-url` + name, so a page of 500 pipelines under a busy scheduler fetches a row per change, not the
 * whole page; any other message (or a row not on the page) refreshes the whole section.
 */
import { subscribe } from './live.js';
import { busy, refreshRegions } from './regions.js';

// Short: a row is cheap to fetch; this only gathers the changes of one moment (a run that starts and ends at once).
const DEBOUNCE_MS = 30;
/** More changed rows than this at once: one refresh of the section is cheaper. */
const MAX_ROWS = 20;

export function initRows(): void {
  for (const section of document.querySelectorAll<HTMLElement>('[data-live-rows][id][data-row-url]')) watch(section);
}

function watch(section: HTMLElement): void {
  const topic = section.dataset.liveRows ?? '';
  const base = section.dataset.rowUrl ?? '';
  const pending = new Set<string>();
  let whole = false;
  let timer: number | undefined;
  const find = (name: string): HTMLElement | null => document.querySelector<HTMLElement>(`#${CSS.escape(section.id)} tr[data-row="${CSS.escape(name)}"]`);
  const flush = async (): Promise<void> => {
    timer = undefined;
    const names = [...pending];
    pending.clear();
    if (whole || names.length > MAX_ROWS) {
      whole = false;
      await refreshRegions([section.id]);
      return;
    }
    await Promise.all(names.map((name) => replaceRow(name)));
  };
  const replaceRow = async (name: string): Promise<void> => {
    const row = find(name);
    if (row === null) return;
    if (busy(row)) {
      // Being used (a run-now form open): the next change, or leaving it, brings it up to date.
      row.addEventListener('focusout', () => later(name), { once: true });
      return;
    }
    const response = await fetch(`${base}${encodeURIComponent(name)}`, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok) {
      await refreshRegions([section.id]);
      return;
    }
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('tr[data-row]');
    if (fresh !== null) find(name)?.replaceWith(document.importNode(fresh, true));
    document.dispatchEvent(new CustomEvent('flow:regions-replaced'));
  };
  const later = (name: string | undefined): void => {
    if (name === undefined || find(name) === null) whole = true;
    else pending.add(name);
    timer ??= window.setTimeout(() => void flush(), DEBOUNCE_MS);
  };
  subscribe(
    topic,
    (message) => {
      const data = message.data as { pipeline?: unknown } | null;
      later(message.event !== 'reset' && typeof data?.pipeline === 'string' ? data.pipeline : undefined);
    },
    document.body.dataset.since || undefined,
  );
}
