/**
 * Live regions: an element `<section id="…" data-live="topic other-topic">` is re-rendered by the server when one of
 * its topics has news: the page is fetched again and the element replaced by its new version (same id). The server
 * stays the only renderer, so the page with and without JavaScript is the same page. A region the reader is using
 * (a focused field, an open form) is refreshed once they leave it.
 */
import { subscribe } from './live.js';

const DEBOUNCE_MS = 150;
let timer: number | undefined;
/** How long the last refresh took: on a big page under a busy scheduler, refreshes are spaced by twice that. */
let lastMs = 0;
let inFlight = false;
let again = false;
const waiting = new Set<string>();

export function busy(region: Element): boolean {
  return region.querySelector('details[open]') !== null || (document.activeElement !== null && region.contains(document.activeElement) && document.activeElement.matches('input, select, textarea'));
}

export async function refreshRegions(ids?: Iterable<string>): Promise<void> {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  const started = performance.now();
  try {
    const response = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    const wanted = ids === undefined ? undefined : new Set(ids);
    for (const region of document.querySelectorAll('[data-live][id], [data-live-rows][id]')) {
      if (wanted !== undefined && !wanted.has(region.id)) continue;
      if (busy(region)) {
        waiting.add(region.id);
        continue;
      }
      const next = fresh.getElementById(region.id);
      if (next !== null) region.replaceWith(document.importNode(next, true));
    }
    document.dispatchEvent(new CustomEvent('flow:regions-replaced'));
  } finally {
    lastMs = performance.now() - started;
    inFlight = false;
    if (again) {
      again = false;
      void refreshRegions();
    }
  }
}

function schedule(): void {
  if (timer !== undefined) return;
  timer = window.setTimeout(() => {
    timer = undefined;
    void refreshRegions();
  }, Math.max(DEBOUNCE_MS, 2 * lastMs));
}

export function initRegions(): void {
  const since = document.body.dataset.since;
  const topics = new Set<string>();
  for (const region of document.querySelectorAll<HTMLElement>('[data-live]')) for (const topic of (region.dataset.live ?? '').split(/\s+/)) if (topic !== '') topics.add(topic);
  for (const topic of topics) subscribe(topic, schedule, since === '' ? undefined : since);
  const retry = (): void => {
    if (waiting.size === 0) return;
    const ids = [...waiting];
    waiting.clear();
    void refreshRegions(ids);
  };
  document.addEventListener('focusout', () => window.setTimeout(retry, 0));
  document.addEventListener('toggle', retry, true);
}
