/**
 * The control API as one Hono app, independent of its listener: the daemon mounts it on its Unix socket, and a web
 * server can mount the same app on TCP. Handlers are thin (parse, call the domain, return JSON); every error leaves
 * as `{error: {code, message, hint}}` with a status that fits, and nothing a client sends can crash the process.
 */
import { Hono } from 'hono';
import { FlowError } from '../errors.js';
import type { ApiDeps } from './deps.js';
import { httpStatusOf } from './status.js';
import { eventRoutes } from './routes/events.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { runRoutes, type RunSource } from './routes/runs.js';

export const API_VERSION = 1;


export interface AppOptions {
  /** Told about errors that are bugs (a 500), for the daemon's log. */
  onInternalError?: (error: Error, what: string) => void;
  /** Where `/runs` reads runs (the cluster's history in cluster mode); this host's store when not given. */
  runs?: RunSource;
}

export function createApp(deps: ApiDeps, options: AppOptions = {}): Hono {
  const app = new Hono();
  const api = new Hono();
  api.get('/health', (c) => c.json({ ok: true, api: API_VERSION, pid: process.pid }));
  api.route('/pipelines', pipelineRoutes(deps));
  api.route('/runs', runRoutes(deps, options.runs));
  api.route('/events', eventRoutes(deps));
  app.route(`/api/v${API_VERSION}`, api);
  app.notFound((c) => c.json(errorBody('E_NOT_FOUND', `no route ${c.req.method} ${c.req.path}`, 'the routes are listed in the README under "HTTP API"'), 404));
  app.onError((error, c) => {
    if (error instanceof FlowError) return c.json(errorBody(error.code, error.message, error.hint), httpStatusOf(error));
    options.onInternalError?.(error, `${c.req.method} ${c.req.path}`);
    return c.json(errorBody('E_INTERNAL', `internal error: ${error.message}`), 500);
  });
  return app;
}

export function errorBody(code: string, message: string, hint?: string): { error: { code: string; message: string; hint: string | null } } {
  return { error: { code, message, hint: hint ?? null } };
}
