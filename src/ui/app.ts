/**
 * The web UI as one Hono app for the TCP listener: the security guard, the login exchange, the embedded assets, the
 * one event stream per tab, the views (routes/index.ts) and the same `/api/v1` app the daemon serves on its socket.
 */
import { Hono } from 'hono';
import { createApp } from '../api/app.js';
import { FlowError } from '../errors.js';
import { loadAssets } from './assets.js';
import { Broadcast, publishApiEvent } from './broadcast.js';
import type { UiContext, UiDeps, UiEnv } from './context.js';
import { localRunReader } from './data/run-reader.js';
import { watchHome } from './data/home-watch.js';
import { errorPage } from './pages/error.js';
import { refusal } from './pages/refusal.js';
import { views } from './routes/index.js';
import { guard, securityHeaders, serverTiming } from './security/guard.js';
import { HostPolicy, type Listen } from './security/hosts.js';
import { loginRoutes } from './security/login.js';
import { SESSION_TTL_MS } from './security/session.js';
import { eventStream } from './stream.js';
import { TopicRegistry } from './topics.js';

export interface UiOptions {
  token: string;
  listen: Listen;
  /** Names besides the listen address that the Host header may carry (a proxy's). */
  hostNames?: string[] | undefined;
  readOnly?: boolean | undefined;
  heartbeatMs?: number | undefined;
  sessionTtlMs?: number | undefined;
  now?: (() => Date) | undefined;
  onInternalError?: ((error: Error, what: string) => void) | undefined;
}

export interface UiApp {
  app: Hono<UiEnv>;
  ui: UiContext;
  /** Stops following the API's events and FLOW_HOME. */
  close(): void;
}

export function createUiApp(deps: UiDeps, options: UiOptions): UiApp {
  const now = options.now ?? (() => new Date());
  const readOnly = options.readOnly ?? false;
  const broadcast = new Broadcast();
  const topics = new TopicRegistry();
  for (const prefix of ['pipelines', 'daemon', 'pipeline:', 'run:']) topics.register(broadcast.source(prefix));
  const unsubscribe = deps.api.subscribe((event) => publishApiEvent(broadcast, event));
  const unwatch = watchHome(deps.home, broadcast);
  const runs = deps.runs ?? localRunReader(deps.api.store);
  const ui: UiContext = { deps, topics, broadcast, readOnly, runs, now };

  const app = new Hono<UiEnv>();
  app.use('*', serverTiming());
  app.use('*', securityHeaders());
  app.use('*', guard({ token: options.token, hosts: new HostPolicy(options.listen, options.hostNames), readOnly, now }));
  app.route('/', loginRoutes({ token: options.token, ttlMs: options.sessionTtlMs ?? SESSION_TTL_MS, now }));
  app.get('/ui/assets/:name', async (c) => {
    const asset = (await loadAssets()).get(c.req.param('name'));
    if (asset === undefined) return refusal(c, 404, 'No such asset.', 'Reload the page.');
    // Revalidated each time (a 304 is cheap): a new flow serves a new script under the same name.
    c.header('cache-control', 'no-cache');
    c.header('etag', asset.etag);
    if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304);
    return c.body(asset.body, 200, { 'content-type': asset.type });
  });
  app.get('/ui/events', (c) => eventStream(c, topics, { heartbeatMs: options.heartbeatMs ?? 15_000 }));
  // The API on TCP reads runs where the pages do: in cluster mode, the cluster's history.
  app.route('/', createApp(deps.api, { onInternalError: options.onInternalError, runs }));
  for (const register of views) register(app, ui);

  app.notFound((c) => refusal(c, 404, `Nothing at ${c.req.path}.`, 'Start from the pipelines page.'));
  app.onError((error, c) => {
    if (!(error instanceof FlowError)) options.onInternalError?.(error, `${c.req.method} ${c.req.path}`);
    return errorPage(c, ui, error);
  });
  return {
    app,
    ui,
    close: () => {
      unsubscribe();
      unwatch();
      runs.close();
    },
  };
}
