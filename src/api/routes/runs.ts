/** `/api/v1/runs`: history as the CLI reads it (a unique prefix names a run), a task's log by offset, stop and retry. */
import { Hono } from 'hono';
import { FlowError } from '../../errors.js';
import { findRun } from '../../store/find-run.js';
import { readLogChunk } from '../../store/log-chunk.js';
import { jsonBody } from '../body.js';
import type { RunQuery } from '../../store/history.js';
import type { RunRecord } from '../../store/record.js';
import type { ApiDeps } from '../deps.js';

const STATUSES = ['running', 'success', 'failed', 'cancelled', 'interrupted', 'skipped'];
const schemas = () => import('../request-schemas.js');

/** How `/runs` reads runs: this host's store, or (the web UI in cluster mode) the cluster's history. */
export interface RunSource {
  find(ref: string): Promise<RunRecord>;
  list(query: RunQuery): Promise<RunRecord[]>;
}

export function runRoutes(deps: ApiDeps, source: RunSource = { find: (ref) => findRun(deps.store, ref), list: (query) => deps.store.list(query) }): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => {
    const status = c.req.query('status');
    if (status !== undefined && !STATUSES.includes(status)) throw new FlowError('E_USAGE', `status: expected one of ${STATUSES.join(', ')}, got "${status}"`);
    const limit = wholeNumber('limit', c.req.query('limit'), 1, 1000) ?? 20;
    return c.json(await source.list({ pipeline: c.req.query('pipeline') || undefined, status, limit }));
  });
  routes.get('/:id', async (c) => c.json(await source.find(c.req.param('id'))));
  routes.post('/:id/stop', async (c) => {
    await jsonBody(c);
    return c.json(await deps.stop(c.req.param('id')));
  });
  routes.post('/:id/retry', async (c) => {
    const { parse, retryBody } = await schemas();
    return c.json(await deps.retry(c.req.param('id'), parse(retryBody, await jsonBody(c))), 201);
  });
  routes.get('/:id/tasks/:task/log', async (c) => {
    const run = await source.find(c.req.param('id'));
    const taskId = c.req.param('task');
    const task = run.tasks.find((entry) => entry.id === taskId);
    if (task === undefined) throw new FlowError('E_TASK_NOT_FOUND', `run ${run.id} has no task "${taskId}"`, { hint: `its tasks: ${run.tasks.map((entry) => entry.id).join(', ')}` });
    const number = wholeNumber('attempt', c.req.query('attempt'), 1, Number.MAX_SAFE_INTEGER);
    const attempt = number === undefined ? task.attempts.at(-1) : task.attempts.find((entry) => entry.attempt === number);
    if (attempt === undefined) {
      throw new FlowError('E_NOT_FOUND', number === undefined ? `task "${taskId}" of run ${run.id} has not started, so it has no log` : `task "${taskId}" of run ${run.id} has no attempt ${number}`);
    }
    const offset = wholeNumber('offset', c.req.query('offset'), 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const chunk = await readLogChunk(attempt.log, offset);
    return c.json({ run_id: run.id, task: taskId, attempt: attempt.attempt, ended: attempt.ended_at !== null, ...chunk });
  });
  return routes;
}

function wholeNumber(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new FlowError('E_USAGE', `${name}: expected a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got "${text}"`);
  }
  return value;
}
