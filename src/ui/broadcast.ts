/**
 * The topics fed by what happens in this process: the executor's events (through the API's subscribe) and changes
 * the UI itself makes (pause, unpause). Recent messages are kept in a ring so a reconnecting tab gets what it missed;
 * a cursor is `<epoch>.<seq>`, and one from another process or older than the ring gets a `reset` message (the client
 * reloads what it shows) instead of a gap.
 */
import { randomBytes } from 'node:crypto';
import type { ApiEvent } from '../api/event-hub.js';
import type { TopicMessage, TopicSend, TopicSource } from './topics.js';

interface Kept {
  seq: number;
  topic: string;
  message: TopicMessage;
}

type Listener = (kept: Kept) => void;

export class Broadcast {
  private readonly epoch = randomBytes(4).toString('hex');
  private seq = 0;
  private readonly ring: Kept[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly keep = 2000) {}

  /** The cursor of "now": a page rendered at this point resumes from here, missing nothing published after. */
  get cursor(): string {
    return `${this.epoch}.${this.seq}`;
  }

  publish(topic: string, message: TopicMessage): void {
    const kept = { seq: ++this.seq, topic, message };
    this.ring.push(kept);
    if (this.ring.length > this.keep) this.ring.splice(0, this.ring.length - this.keep);
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        listener(kept);
      } catch {
        // One stream's failure is its own; the others go on.
      }
    }
  }

  /** A TopicSource for `pipelines`, `daemon` (exact) or `pipeline:`, `run:` (prefixes). */
  source(prefix: string): TopicSource {
    return { prefix, open: (topic, send, resume) => this.open(topic, send, resume) };
  }

  private open(topic: string, send: TopicSend, resume: string | undefined): () => void {
    const from = this.resumeFrom(resume);
    if (from === undefined) send({ event: 'reset', data: null }, this.cursor);
    else for (const kept of this.ring) if (kept.seq > from && kept.topic === topic) send(kept.message, `${this.epoch}.${kept.seq}`);
    const listener: Listener = (kept) => send(kept.message, `${this.epoch}.${kept.seq}`);
    let set = this.listeners.get(topic);
    if (set === undefined) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(topic);
    };
  }

  /** The sequence number to replay after, or undefined when the client must reload (unknown epoch, or a gap). */
  private resumeFrom(resume: string | undefined): number | undefined {
    if (resume === undefined) return this.seq;
    const [epoch, seqText] = resume.split('.');
    const seq = Number(seqText);
    if (epoch !== this.epoch || !Number.isSafeInteger(seq) || seq < 0 || seq > this.seq) return undefined;
    const oldest = this.ring[0]?.seq ?? this.seq + 1;
    return seq + 1 >= oldest ? seq : undefined;
  }
}

/** Where an executor event goes: its run, its pipeline, and the lists when a run starts or ends. */
export function topicsOf(event: ApiEvent): string[] {
  const topics = [`run:${event.run_id}`, `pipeline:${event.pipeline}`];
  if (event.kind === 'run-started' || event.kind === 'run-finished') topics.push('pipelines', 'daemon');
  return topics;
}

export function publishApiEvent(broadcast: Broadcast, event: ApiEvent): void {
  for (const topic of topicsOf(event)) broadcast.publish(topic, { event: event.kind, data: event });
}
