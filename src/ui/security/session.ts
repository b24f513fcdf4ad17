/**
 * The browser's session: the token is exchanged once for a cookie `flow_session=<expires>.<signature>`, an HMAC of the
 * expiry under the token. Nothing is kept on the server, a cookie cannot be forged or extended without the token,
 * and rotating the token ends every session. The cookie is HttpOnly (no script reads it) and SameSite=Strict (no
 * other site's page sends it).
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from './token.js';

export const SESSION_COOKIE = 'flow_session';
export const SESSION_TTL_MS = 7 * 24 * 3600_000;

export function signSession(token: string, expiresAt: number): string {
  return `${expiresAt}.${createHmac('sha256', token).update(`flow-ui-session:${expiresAt}`).digest('base64url')}`;
}

export type SessionCheck = 'valid' | 'expired' | 'invalid';

export function checkSession(token: string, value: string, now: number): SessionCheck {
  const dot = value.indexOf('.');
  const expiresAt = Number(value.slice(0, dot));
  if (dot <= 0 || !Number.isSafeInteger(expiresAt)) return 'invalid';
  if (!sameSecret(value, signSession(token, expiresAt))) return 'invalid';
  return expiresAt > now ? 'valid' : 'expired';
}

export function sessionCookie(value: string, maxAgeMs: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(maxAgeMs / 1000)}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
