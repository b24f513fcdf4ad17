/**
 * What every UI route gets. A view is a module under `src/ui/routes/` exporting a `RegisterRoutes` function, listed
 * in `routes/index.ts`: it adds its pages to the app and, if it has live data of its own, its topic sources to the
 * registry. Pages render with `Layout` (layout.tsx) and answer unknown things with `notFoundPage` (pages/not-found.tsx).
 */
import type { Context, Hono } from 'hono';
import type { ApiDeps } from '../api/deps.js';
import type { Broadcast } from './broadcast.js';
import type { RunReader } from './data/run-reader.js';
import type { TopicRegistry } from './topics.js';

export interface UiDeps {
  /** Reads (as the CLI does) and actions (the daemon's own control, or its socket for `flow ui`). */
  api: ApiDeps;
  /** FLOW_HOME. */
  home: string;
  /**
   * Why actions cannot run right now (`flow ui` with no daemon), or undefined when they can. Pages still show
   * their buttons; pressing one answers this sentence.
   */
  actionsBlocked?: () => Promise<string | undefined>;
  /** Pipeline files that do not load and have no good version scheduled, each with its `file:line:col` problems. */
  loadErrors: () => Promise<{ file: string; error: string }[]>;
  /** Where pages read runs (data/run-reader.ts); this host's store when not given. */
  runs?: RunReader;
  /** A sentence every page shows at its top (`flow ui` with no daemon: nothing fires), or undefined. */
  notice?: () => Promise<string | undefined>;
}

/** How a request was authenticated: a browser's session cookie, or a script's `Authorization: Bearer`. */
export type AuthKind = 'cookie' | 'bearer';

export interface UiEnv {
  Variables: { auth: AuthKind };
}

export type UiApp = Hono<UiEnv>;
export type UiRequest = Context<UiEnv>;

export interface UiContext {
  deps: UiDeps;
  /** Register topic sources here (`log:` is the Log view's). */
  topics: TopicRegistry;
  /** In-process topics (`pipelines`, `pipeline:<name>`, `run:<id>`, `daemon`); publish changes a page should see. */
  broadcast: Broadcast;
  /** `--read-only`: render no action, and every non-GET request is refused before it reaches a route. */
  readOnly: boolean;
  /** Where pages read runs: `deps.runs`, or this host's store. */
  runs: RunReader;
  now: () => Date;
}

export type RegisterRoutes = (app: UiApp, ui: UiContext) => void;
