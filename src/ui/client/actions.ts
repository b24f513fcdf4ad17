/**
 * Forms marked `data-action` (pause, run now, stop, retry…) are sent with fetch instead of a navigation: the server
 * answers `{ok, message, location}` (or the API's error JSON), the message shows as a notice, and the page's live
 * regions refresh. An action that made something to look at (run now → the run) goes there. Without the script,
 * the same forms post and the server redirects.
 */
import { refreshRegions } from './regions.js';

interface Answer {
  ok?: boolean;
  message?: string;
  location?: string;
  error?: { message: string; hint: string | null };
}

export function notify(text: string, kind: 'ok' | 'error'): void {
  let box = document.getElementById('notices');
  if (box === null) {
    box = document.createElement('div');
    box.id = 'notices';
    box.setAttribute('role', 'status');
    document.body.append(box);
  }
  const item = document.createElement('p');
  item.className = `notice-item ${kind}`;
  item.textContent = text;
  box.append(item);
  window.setTimeout(() => item.remove(), kind === 'error' ? 12_000 : 5000);
}

async function submit(form: HTMLFormElement, submitter: HTMLElement | null): Promise<void> {
  const body = new URLSearchParams();
  for (const [key, value] of new FormData(form, submitter)) if (typeof value === 'string') body.append(key, value);
  const confirmText = form.dataset.confirm;
  if (confirmText !== undefined && !window.confirm(confirmText)) return;
  for (const button of form.querySelectorAll('button')) button.disabled = true;
  try {
    const response = await fetch(form.action, { method: 'POST', body, headers: { 'x-flow-client': '1', accept: 'application/json' }, credentials: 'same-origin' });
    const answer = (await response.json().catch(() => ({}))) as Answer;
    if (!response.ok || answer.ok !== true) {
      notify(answer.error === undefined ? `failed: HTTP ${response.status}` : `${answer.error.message}${answer.error.hint === null ? '' : ` (${answer.error.hint})`}`, 'error');
      return;
    }
    notify(answer.message ?? 'done', 'ok');
    const target = answer.location === undefined ? undefined : new URL(answer.location, location.href);
    if (target !== undefined && target.pathname !== location.pathname) location.assign(target.href);
    else await refreshRegions();
  } catch (error) {
    notify(`failed: ${(error as Error).message}`, 'error');
  } finally {
    for (const button of form.querySelectorAll('button')) button.disabled = false;
  }
}

export function initActions(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-action')) return;
    event.preventDefault();
    void submit(form, event.submitter);
  });
}
