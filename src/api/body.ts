/** Reading a request's body, shared by the route modules (kept apart from app.ts, which imports them). */
import type { Context } from 'hono';
import { FlowError } from '../errors.js';

/** The request's JSON body, or `{}` when it has none; anything else that is not a JSON object is a 400. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FlowError('E_USAGE', `the request body is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FlowError('E_USAGE', 'the request body must be a JSON object');
  return parsed as Record<string, unknown>;
}
