/**
 * The token-for-cookie exchange. `GET /ui/login?token=…` is the URL printed when the token was made; `POST
 * /ui/login` is the form. Success answers a page that moves on to `/` by itself: a redirect would still belong to
 * the navigation another site started (a link in a chat), and a SameSite=Strict cookie is not sent on it.
 * `POST /ui/logout` clears the cookie.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { UiEnv } from '../context.js';
import { loginPage, unauthorized } from '../pages/refusal.js';
import { SESSION_COOKIE, sessionCookie, signSession } from './session.js';
import { sameSecret } from './token.js';

export interface LoginOptions {
  token: string;
  ttlMs: number;
  now: () => Date;
}

export function loginRoutes(options: LoginOptions): Hono<UiEnv> {
  const routes = new Hono<UiEnv>();
  const exchange = (c: Context<UiEnv>, given: string | undefined) => {
    if (given === undefined || given === '') return unauthorized(c);
    if (!sameSecret(given.trim(), options.token)) return unauthorized(c, 'That token is not this server\'s.');
    const value = signSession(options.token, options.now().getTime() + options.ttlMs);
    c.header('set-cookie', sessionCookie(value, options.ttlMs, c.req.header('x-forwarded-proto') === 'https'));
    c.header('cache-control', 'no-store');
    return c.html(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=/"><title>flow</title></head><body><p>Logged in. <a href="/">Continue</a></p></body></html>`,
    );
  };
  routes.get('/ui/login', (c) => (c.req.query('token') === undefined ? loginPage(c) : exchange(c, c.req.query('token'))));
  routes.post('/ui/login', async (c) => {
    const form = await c.req.parseBody();
    return exchange(c, typeof form.token === 'string' ? form.token : undefined);
  });
  routes.post('/ui/logout', (c) => {
    c.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
    return c.redirect('/ui/login', 303);
  });
  return routes;
}
