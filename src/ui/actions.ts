/**
 * How a page's buttons act. Each is a plain `<form method="post">`, so it works without JavaScript: the route does
 * the work and answers 303 back to the page (or to what the action made, a new run). The client script submits the
 * same form with `fetch` and the header `x-flow-client`, and gets `{ok, message, location}` instead, so the page
 * stays put and its live regions show the change. Refusals come back as the API's error JSON, or as an error page.
 */
import { FlowError } from '../errors.js';
import type { UiContext, UiRequest } from './context.js';

export interface ActionResult {
  message: string;
  /** Where a browser without the script goes next; the form's `back` field (or `/`) when absent. */
  location?: string | undefined;
}

/** A form's `back` field, if it is a path of this site (never `//other.host`). */
export function localPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : fallback;
}

export async function act(c: UiRequest, ui: UiContext, work: () => Promise<ActionResult>): Promise<Response> {
  const blocked = await ui.deps.actionsBlocked?.();
  if (blocked !== undefined) throw new FlowError('E_NO_DAEMON', blocked, { hint: 'start `flow daemon` for this FLOW_HOME, then try again' });
  const form = await c.req.parseBody();
  const result = await work();
  const location = result.location ?? localPath(form.back);
  if (c.req.header('x-flow-client') !== undefined) return c.json({ ok: true, message: result.message, location });
  return c.redirect(location, 303);
}

/** The params a run-now form sent: fields named `param.<name>`, empty ones left to their defaults. */
export function paramsOf(form: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key.startsWith('param.') && typeof value === 'string' && value !== '') params[key.slice('param.'.length)] = value;
  }
  return params;
}
