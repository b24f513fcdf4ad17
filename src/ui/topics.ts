/**
 * The topics of the web UI's one event stream per tab (`/ui/events`). A page names the topics it follows
 * (`pipelines`, `pipeline:<name>`, `run:<id>`, `daemon`, `log:<runId>/<task>/<attempt>`); a source registered for a
 * topic, or for a prefix ending in `:`, opens it for one stream. Each message carries a cursor, an opaque string
 * the source understands (a sequence number, a log's byte offset): a reconnecting client hands the last one back as
 * `resume`, and the source sends only what came after it.
 */

export interface TopicMessage {
  /** What happened, for the client's handler: `run-finished`, `paused`, `append`, `reset`… */
  event: string;
  /** JSON-serialisable payload. */
  data: unknown;
}

/** Sends one message of the topic; `cursor` is what a reconnect resumes from (omit it to keep the last one). */
export type TopicSend = (message: TopicMessage, cursor?: string) => void;

export interface TopicSource {
  /** An exact topic (`daemon`) or a prefix that ends in `:` (`run:`, `log:`). */
  readonly prefix: string;
  /**
   * Starts sending `topic`'s messages to one stream; returns what stops it (called when the stream closes).
   * `resume` is the cursor of the last message that client received, undefined on a fresh page.
   * Throwing a FlowError (a topic that names nothing) sends the client an `error` message for that topic alone.
   */
  open(topic: string, send: TopicSend, resume: string | undefined): (() => void) | Promise<() => void>;
}

/** At most this many topics per stream, each at most this long: a page follows a handful. */
export const MAX_TOPICS = 16;
export const MAX_TOPIC_LENGTH = 512;

export class TopicRegistry {
  private readonly exact = new Map<string, TopicSource>();
  private readonly prefixes: TopicSource[] = [];

  register(source: TopicSource): void {
    if (source.prefix.endsWith(':')) {
      if (this.prefixes.some((other) => other.prefix === source.prefix)) throw new Error(`topic prefix ${source.prefix} registered twice`);
      this.prefixes.push(source);
      // Longest prefix first, so `log:` and a hypothetical `log:x:` cannot shadow each other by order of registration.
      this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    } else {
      if (this.exact.has(source.prefix)) throw new Error(`topic ${source.prefix} registered twice`);
      this.exact.set(source.prefix, source);
    }
  }

  /** The source for a topic, or undefined when none serves it. */
  resolve(topic: string): TopicSource | undefined {
    const exact = this.exact.get(topic);
    if (exact !== undefined) return exact;
    return this.prefixes.find((source) => topic.startsWith(source.prefix) && topic.length > source.prefix.length);
  }
}

/** Every topic's cursor in one SSE event id, so the browser's `Last-Event-ID` resumes all of a tab's topics at once. */
export function encodeCursors(cursors: ReadonlyMap<string, string>): string {
  return new URLSearchParams([...cursors]).toString();
}

export function decodeCursors(text: string | undefined): Map<string, string> {
  const cursors = new Map<string, string>();
  if (text === undefined || text === '') return cursors;
  for (const [topic, cursor] of new URLSearchParams(text)) {
    if (topic.length <= MAX_TOPIC_LENGTH && cursors.size < MAX_TOPICS) cursors.set(topic, cursor);
  }
  return cursors;
}
