/**
 * `GET /api/v1/events`: server-sent events, one per executor event (run and task changes), tagged with the run and
 * pipeline; `?run=` and `?pipeline=` narrow them down. One stream carries every run, so a follower needs only one.
 */
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ApiDeps } from '../deps.js';
import type { ApiEvent } from '../event-hub.js';

const KEEP_ALIVE_MS = 15_000;

export function eventRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();
  routes.get('/', (c) => {
    const run = c.req.query('run') || undefined;
    const pipeline = c.req.query('pipeline') || undefined;
    return streamSSE(c, async (stream) => {
      const queue: ApiEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.subscribe((event) => {
        if (run !== undefined && !event.run_id.startsWith(run)) return;
        if (pipeline !== undefined && event.pipeline !== pipeline) return;
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      let id = 0;
      try {
        // A first comment tells the client it is subscribed: events from here on reach it.
        await stream.write(': subscribed\n\n');
        while (!stream.aborted) {
          const event = queue.shift();
          if (event !== undefined) {
            await stream.writeSSE({ event: event.kind, id: String(++id), data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, KEEP_ALIVE_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
  return routes;
}
