/**
 * The executor's events as the API's followers see them: each FlowEvent tagged with its run and pipeline, in plain
 * JSON (ISO times, no internal objects). The daemon adds one sink per run; `GET /api/v1/events` subscribes.
 */
import type { EventSink, FlowEvent } from '../engine/events.js';
import { isoWithOffset } from '../util/time.js';

export interface ApiEvent {
  kind: FlowEvent['kind'];
  run_id: string;
  pipeline: string;
  at: string;
  [key: string]: unknown;
}

export type ApiListener = (event: ApiEvent) => void;

export class EventHub {
  private readonly listeners = new Set<ApiListener>();

  subscribe(listener: ApiListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get followers(): number {
    return this.listeners.size;
  }

  publish(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A follower that fails is its own problem; the run and the other followers go on.
      }
    }
  }

  /** A sink for one run of `pipeline`: learns the run's id from `run-started`. */
  sinkFor(pipeline: string): EventSink {
    let runId = '';
    return (event) => {
      if (event.kind === 'run-started') runId = event.run.runId;
      if (this.listeners.size === 0) return;
      this.publish(toApiEvent(event, runId, pipeline));
    };
  }
}

export function toApiEvent(event: FlowEvent, runId: string, pipeline: string): ApiEvent {
  const base = { kind: event.kind, run_id: runId, pipeline, at: isoWithOffset(event.at) };
  switch (event.kind) {
    case 'run-started':
      return {
        ...base,
        trigger: event.run.trigger,
        logical_date: event.run.logicalDate,
        tasks: event.run.plan.tasks.map((task) => task.id),
        retry_of: event.run.resume === undefined ? null : event.run.resume.tasks,
      };
    case 'task-started':
      return { ...base, task: event.task, attempt: event.attempt, log: event.log };
    case 'attempt-finished':
      return {
        ...base,
        task: event.task,
        attempt: event.attempt,
        started_at: isoWithOffset(event.startedAt),
        exit_code: event.outcome.exitCode ?? null,
        signal: event.outcome.signal ?? null,
        timed_out: event.outcome.timedOut,
        cancelled: event.outcome.cancelled,
        error: event.reason ?? null,
        retry_in_ms: event.retryInMs ?? null,
      };
    case 'task-finished':
      return { ...base, task: event.task, status: event.status, attempts: event.attempts, reason: event.reason ?? null };
    case 'run-finished':
      return { ...base, status: event.status, failed: event.failed };
    case 'hook-finished':
      return { ...base, hook: event.hook };
    case 'sla-missed':
      return { ...base, sla_miss: event.miss };
    default:
      return base;
  }
}
