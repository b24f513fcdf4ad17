/**
 * Answers that refuse: 401 with the login page, 403 with why. Under /api/ they are the API's JSON error shape, so a
 * script reads the same `{error: {code, message, hint}}` as from the socket.
 */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { errorBody } from '../../api/app.js';
import { Layout } from '../layout.js';
import { LoginForm } from './login.js';

function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/');
}

function bare(c: Context, title: string, status: 200 | 401 | 403 | 404, body: Child) {
  return c.html(
    <>
      {raw('<!doctype html>')}
      <Layout title={title} readOnly={false} since="" signedIn={false}>
        {body}
      </Layout>
    </>,
    status,
  );
}

export function unauthorized(c: Context, why = 'Log in with the token this server printed when it made it.') {
  c.header('www-authenticate', 'Bearer realm="flow"');
  if (wantsJson(c)) return c.json(errorBody('E_UNAUTHORIZED', why, 'send Authorization: Bearer <the token in FLOW_HOME/ui-token>'), 401);
  return bare(c, 'Log in', 401, <LoginForm message={why} />);
}

export function loginPage(c: Context) {
  return bare(c, 'Log in', 200, <LoginForm message="Log in with the token this server printed when it made it." />);
}

export function refusal(c: Context, status: 403 | 404, message: string, hint: string) {
  if (wantsJson(c)) return c.json(errorBody(status === 403 ? 'E_FORBIDDEN' : 'E_NOT_FOUND', message, hint), status);
  return bare(
    c,
    status === 403 ? 'Refused' : 'Not found',
    status,
    <section class="notice">
      <h1>{status === 403 ? 'Refused' : 'Not found'}</h1>
      <p>{message}</p>
      <p class="muted">{hint}</p>
    </section>,
  );
}
