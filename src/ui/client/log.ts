/**
 * The Log view's behaviour: the log opens scrolled to its end; while the attempt runs, output from its `log:` topic
 * is appended (HTML the server escaped) and followed only while the reader is at the bottom; "load earlier" fetches
 * the previous window and puts it on top without moving what the reader is looking at.
 */
import { subscribe } from './live.js';

interface Piece {
  offset: number;
  next: number;
  html: string;
}

/** How close to the bottom (in pixels) counts as reading the end. */
const BOTTOM_SLACK = 24;

export function initLog(): void {
  const pre = document.getElementById('log');
  if (pre === null) return;
  const atBottom = (): boolean => pre.scrollTop + pre.clientHeight >= pre.scrollHeight - BOTTOM_SLACK;
  pre.scrollTop = pre.scrollHeight;

  const topic = pre.dataset.topic;
  let next = Number(pre.dataset.next ?? '0');
  if (topic !== undefined && topic !== '') {
    subscribe(
      topic,
      (message) => {
        if (message.event === 'append') {
          const piece = message.data as Piece;
          // A piece already shown (a replay after reconnecting) is skipped; offsets are exact.
          if (piece.next <= next || piece.offset !== next) return;
          const follow = atBottom();
          pre.insertAdjacentHTML('beforeend', piece.html);
          next = piece.next;
          pre.dataset.next = String(next);
          if (follow) pre.scrollTop = pre.scrollHeight;
        } else if (message.event === 'end') {
          const state = document.getElementById('log-state');
          if (state !== null) state.textContent = 'The attempt has ended.';
          pre.dataset.ended = 'true';
        } else if (message.event === 'error') {
          const state = document.getElementById('log-state');
          if (state !== null) state.textContent = `Live output stopped: ${(message.data as { message?: string }).message ?? 'error'}`;
        }
      },
      String(next),
    );
  }

  const earlier = document.getElementById('log-earlier');
  if (earlier instanceof HTMLAnchorElement) {
    earlier.addEventListener('click', (event) => {
      event.preventDefault();
      void loadEarlier(pre, earlier);
    });
  }
}

async function loadEarlier(pre: HTMLElement, link: HTMLAnchorElement): Promise<void> {
  const url = new URL(link.href);
  url.searchParams.set('fragment', '1');
  const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) return;
  const piece = (await response.json()) as { start: number; html: string };
  const height = pre.scrollHeight;
  pre.insertAdjacentHTML('afterbegin', piece.html);
  pre.scrollTop += pre.scrollHeight - height;
  if (piece.start === 0) link.parentElement?.remove();
  else {
    const again = new URL(link.href);
    again.searchParams.set('end', String(piece.start));
    link.href = again.toString();
  }
}
