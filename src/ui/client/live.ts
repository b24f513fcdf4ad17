/**
 * The tab's one event stream. Modules call `subscribe(topic, handler, cursor?)` while the page starts, then main.ts
 * calls `start()`, which opens a single EventSource for every topic (a browser allows six connections per host;
 * one stream per view would exhaust them). The server's event ids carry each topic's cursor, and the browser sends
 * the last one back when it reconnects, so nothing is missed or repeated.
 */

export interface LiveMessage {
  topic: string;
  event: string;
  data: unknown;
}

export type Handler = (message: LiveMessage) => void;

const handlers = new Map<string, Handler[]>();
const cursors = new Map<string, string>();
let source: EventSource | undefined;

export function subscribe(topic: string, handler: Handler, cursor?: string): void {
  const list = handlers.get(topic) ?? [];
  list.push(handler);
  handlers.set(topic, list);
  if (cursor !== undefined && !cursors.has(topic)) cursors.set(topic, cursor);
}

function indicator(state: 'on' | 'off' | 'retrying', title: string): void {
  const element = document.getElementById('live');
  if (element === null) return;
  element.dataset.state = state;
  element.title = title;
}

export function start(): void {
  if (handlers.size === 0 || source !== undefined) return;
  const query = new URLSearchParams();
  for (const topic of handlers.keys()) query.append('topic', topic);
  if (cursors.size > 0) query.set('resume', new URLSearchParams([...cursors]).toString());
  const events = new EventSource(`/ui/events?${query.toString()}`);
  source = events;
  events.addEventListener('hello', () => indicator('on', 'live updates on'));
  events.addEventListener('heartbeat', () => indicator('on', `live updates on (last heartbeat ${new Date().toLocaleTimeString()})`));
  events.addEventListener('message', (event: MessageEvent<string>) => {
    let message: LiveMessage;
    try {
      message = JSON.parse(event.data) as LiveMessage;
    } catch {
      return;
    }
    for (const handler of handlers.get(message.topic) ?? []) {
      try {
        handler(message);
      } catch (error) {
        console.error(error);
      }
    }
  });
  events.addEventListener('error', () => {
    // CLOSED: the server answered something else than a stream (401 once the session expired): the browser gives up.
    if (events.readyState === EventSource.CLOSED) indicator('off', 'live updates stopped: reload the page (you may need to log in again)');
    else indicator('retrying', 'reconnecting…');
  });
}
