/**
 * `GET /ui/events?topic=…&topic=…[&resume=…]`: the one server-sent-events stream of a browser tab, multiplexed by
 * topic (a browser gives a host only six connections; one stream per view would exhaust them). Each event is
 *
 *     id: <every topic's cursor, URL-encoded>      ← the browser sends it back as Last-Event-ID on reconnect
 *     data: {"topic": "...", "event": "...", "data": ...}
 *
 * with a `heartbeat` event every `heartbeatMs` (an idle stream stays open through proxies, and the client can tell a
 * dead one). `resume` (same encoding as the id) gives a fresh page's starting cursors; `Last-Event-ID` overrides it.
 * Authentication happens before this route, as for every page.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { FlowError } from '../errors.js';
import { decodeCursors, encodeCursors, MAX_TOPIC_LENGTH, MAX_TOPICS, type TopicMessage, type TopicRegistry } from './topics.js';

export interface StreamOptions {
  heartbeatMs: number;
  /** A client this far behind is dropped; it reconnects and resumes from its cursors. */
  maxQueued?: number;
}

interface Queued {
  topic: string;
  message: TopicMessage;
  cursor: string | undefined;
}

export function parseTopics(c: Context): string[] | string {
  const topics = [...new Set(c.req.queries('topic') ?? [])];
  if (topics.length === 0) return 'name at least one topic: /ui/events?topic=pipelines';
  if (topics.length > MAX_TOPICS) return `at most ${MAX_TOPICS} topics per stream`;
  const bad = topics.find((topic) => topic.length === 0 || topic.length > MAX_TOPIC_LENGTH);
  return bad === undefined ? topics : `a topic has 1 to ${MAX_TOPIC_LENGTH} characters`;
}

export function eventStream(c: Context, registry: TopicRegistry, options: StreamOptions): Response | Promise<Response> {
  const topics = parseTopics(c);
  if (typeof topics === 'string') return c.json({ error: { code: 'E_USAGE', message: topics, hint: null } }, 400);
  const cursors = decodeCursors(c.req.query('resume'));
  for (const [topic, cursor] of decodeCursors(c.req.header('last-event-id'))) cursors.set(topic, cursor);
  const maxQueued = options.maxQueued ?? 10_000;

  return streamSSE(c, async (stream) => {
    const queue: Queued[] = [];
    const stops: (() => void)[] = [];
    let wake: (() => void) | undefined;
    let overflow = false;
    stream.onAbort(() => wake?.());
    const push = (topic: string, message: TopicMessage, cursor?: string): void => {
      if (queue.length >= maxQueued) overflow = true;
      else queue.push({ topic, message, cursor });
      wake?.();
    };
    try {
      for (const topic of topics) {
        const source = registry.resolve(topic);
        if (source === undefined) {
          push(topic, { event: 'error', data: { message: `no such topic: ${topic}` } });
          continue;
        }
        try {
          stops.push(await source.open(topic, (message, cursor) => push(topic, message, cursor), cursors.get(topic)));
        } catch (error) {
          if (!(error instanceof FlowError)) throw error;
          push(topic, { event: 'error', data: { message: error.message } });
        }
      }
      // Sent once every topic is open: from here on, nothing published is missed.
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ topics }), retry: 2000 });
      while (!stream.aborted && !overflow) {
        const next = queue.shift();
        if (next !== undefined) {
          // The id is every topic's cursor as of this event, so a reconnect resumes each topic where it was.
          if (next.cursor !== undefined) cursors.set(next.topic, next.cursor);
          await stream.writeSSE({ id: encodeCursors(cursors), data: JSON.stringify({ topic: next.topic, event: next.message.event, data: next.message.data }) });
          continue;
        }
        const beat = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), options.heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve(false);
          };
        });
        wake = undefined;
        if (beat && !stream.aborted) await stream.writeSSE({ event: 'heartbeat', data: JSON.stringify({ at: new Date().toISOString() }) });
      }
    } finally {
      for (const stop of stops) stop();
    }
  });
}
