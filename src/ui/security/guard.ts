/**
 * The checks every request to the TCP listener passes, in this order (each refusal is tested):
 *   1. `Host` must be ours (DNS rebinding) → 403.
 *   2. The token: `Authorization: Bearer <token>` (scripts) or the session cookie (browsers); none, wrong or expired
 *      → 401 with the login page (JSON under /api/), the event stream included. Only the login route and the static
 *      assets (our own CSS and script, no data) are reachable without it.
 *   3. A request that may change something (any method but GET/HEAD) must carry an `Origin` of ours when it comes
 *      with a cookie (a script with the bearer token is not a browser another site can drive) → 403.
 *   4. `--read-only`: such requests → 403.
 * No CORS header is ever sent, so no other origin can read an answer.
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { UiEnv } from '../context.js';
import { refusal, unauthorized } from '../pages/refusal.js';
import type { HostPolicy } from './hosts.js';
import { checkSession, SESSION_COOKIE } from './session.js';
import { sameSecret } from './token.js';

export interface GuardOptions {
  token: string;
  hosts: HostPolicy;
  readOnly: boolean;
  now: () => Date;
}

const OPEN_PATHS = /^\/ui\/(login|assets\/[^/]+)$/;

export function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

export function guard(options: GuardOptions): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!options.hosts.allows(host)) return refusal(c, 403, 'This address is not one this server answers to.', 'Open flow at the address it printed, or add this name to ui.hosts.');
    const safe = isSafeMethod(c.req.method);
    const origin = c.req.header('origin');
    if (origin !== undefined && !options.hosts.allowsOrigin(origin, host)) return refusal(c, 403, 'This request came from another site.', 'Use flow from its own pages.');
    if (OPEN_PATHS.test(c.req.path)) {
      if (!safe && origin === undefined) return refusal(c, 403, 'This request carries no Origin.', 'Use flow from its own pages.');
      return next();
    }
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (match === null || !sameSecret(match[1] as string, options.token)) return unauthorized(c, 'That token is not this server\'s.');
      c.set('auth', 'bearer');
    } else {
      const session = getCookie(c, SESSION_COOKIE);
      if (session === undefined) return unauthorized(c);
      const check = checkSession(options.token, session, options.now().getTime());
      if (check !== 'valid') return unauthorized(c, check === 'expired' ? 'Your session has expired.' : 'Your session is not valid for this server.');
      c.set('auth', 'cookie');
      if (!safe && origin === undefined) return refusal(c, 403, 'This request carries no Origin.', 'Use flow from its own pages.');
    }
    if (!safe && options.readOnly) return refusal(c, 403, 'This server is read-only.', 'Run flow ui without --read-only to act from the browser.');
    return next();
  };
}

/** Headers on every answer: our own resources only, no framing, no referrer (a login URL carries the token). */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function securityHeaders(): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}

/** `Server-Timing: app;dur=<ms>` on every answer: the time flow spent on it, as a browser's devtools show it. */
export function serverTiming(): MiddlewareHandler<UiEnv> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    c.res.headers.set('server-timing', `app;dur=${(performance.now() - start).toFixed(1)}`);
  };
}
