/** What a page shows when the domain refuses (unknown pipeline, no daemon to act): the sentence, its hint, a link back. */
import type { Context } from 'hono';
import { errorBody } from '../../api/app.js';
import { FlowError, type FlowErrorCode } from '../../errors.js';
import type { UiContext, UiEnv } from '../context.js';
import { page } from '../layout.js';

const STATUS: Partial<Record<FlowErrorCode, 400 | 404 | 409 | 503>> = {
  E_USAGE: 400,
  E_PARAM: 400,
  E_VALIDATION: 400,
  E_AMBIGUOUS: 400,
  E_NOT_FOUND: 404,
  E_PIPELINE_NOT_FOUND: 404,
  E_RUN_NOT_FOUND: 404,
  E_TASK_NOT_FOUND: 404,
  E_LOCKED: 409,
  E_RUN_ENDED: 409,
  E_NO_DAEMON: 503,
};

export function statusOf(error: Error): 400 | 404 | 409 | 500 | 503 {
  return error instanceof FlowError ? (STATUS[error.code] ?? 500) : 500;
}

export function errorPage(c: Context<UiEnv>, ui: UiContext, error: Error) {
  const status = statusOf(error);
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
