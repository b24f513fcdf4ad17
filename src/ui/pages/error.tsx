/** What a page shows when the domain refuses (unknown pipeline, no daemon to act): the sentence, its hint, a link back. */
import type { Context } from 'hono';
import { errorBody } from '../../api/app.js';
import { httpStatusOf } from '../../api/status.js';
import { FlowError } from '../../errors.js';
import type { UiContext, UiEnv } from '../context.js';
import { page } from '../layout.js';

export function errorPage(c: Context<UiEnv>, ui: UiContext, error: Error) {
  const status = httpStatusOf(error);
  const known = error instanceof FlowError;
  const message = known ? error.message : `internal error: ${error.message}`;
  const hint = known ? error.hint : 'this is a bug in flow; please report it with the daemon log';
  if (c.req.path.startsWith('/api/') || c.req.header('x-flow-client') !== undefined) {
    return c.json(errorBody(known ? error.code : 'E_INTERNAL', message, hint), status);
  }
  return page(
    c,
    ui,
    { title: status === 404 ? 'Not found' : 'Error' },
    <section class="notice">
      <h1>{status === 404 ? 'Not found' : 'That did not work'}</h1>
      <p>{message}</p>
      {hint !== undefined && <p class="muted">{hint}</p>}
      <p>
        <a href="/">All pipelines</a>
      </p>
    </section>,
    status,
  );
}
