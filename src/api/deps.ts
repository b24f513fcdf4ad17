/**
 * What the API's handlers need from the process that serves them (the daemon today, the web UI's server later):
 * the history store, which they read as the CLI does, and the daemon's control for what changes something.
 */
import type { HistoryStore } from '../store/history.js';
import type { RunSummary } from '../store/summary.js';
import type { ApiListener } from './event-hub.js';

export interface PipelineView {
  name: string;
  file: string;
  description: string | null;
  schedule: string | null;
  timezone: string;
  /** The next instants of its schedule (up to 5), ISO 8601 in its zone. */
  next: string[];
  paused: boolean;
  paused_at: string | null;
  tasks: string[];
  /** Declared params: name → {type, default, enum, description}. */
  params: Record<string, unknown>;
  /** The file's current problem, while its last good version stays scheduled. */
  error: string | null;
  active_runs: number;
  last_run: RunSummary | null;
}

export interface TriggerBody {
  date?: string | undefined;
  params?: Record<string, string> | undefined;
}

export interface StopResult {
  run_id: string;
  pipeline: string;
  /** `aborted`: the daemon ended the run's tasks; `signalled`: its owner process got SIGTERM and records the cancel. */
  how: 'aborted' | 'signalled';
  pid: number;
}

export interface RetryBody {
  task?: string | undefined;
  downstream?: boolean | undefined;
}

export interface PauseView {
  pipeline: string;
  paused: boolean;
  paused_at: string | null;
  /** On unpause: the missed instants that run now, as `catchup` decides. */
  catchup: string[];
}

export interface ApiDeps {
  store: HistoryStore;
  /** `next`: how many next instants each view lists (default 5; the web UI's list needs 1). */
  pipelines(options?: { next?: number }): Promise<PipelineView[]>;
  pipeline(name: string): Promise<PipelineView>;
  trigger(name: string, body: TriggerBody): Promise<{ run_id: string; pipeline: string }>;
  pause(name: string): Promise<PauseView>;
  unpause(name: string): Promise<PauseView>;
  stop(runRef: string): Promise<StopResult>;
  retry(runRef: string, body: RetryBody): Promise<{ run_id: string; pipeline: string; tasks: string[] }>;
  subscribe(listener: ApiListener): () => void;
}
