/** `/api/v1/pipelines`: what is scheduled, and what a client may ask of a pipeline (trigger, pause, unpause). */
import { Hono } from 'hono';
import { z } from 'zod';
import { FlowError } from '../../errors.js';
import { jsonBody } from '../body.js';
import type { ApiDeps } from '../deps.js';

const triggerBody = z.strictObject({
  date: z.string().min(1).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
});

export function pipelineRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => c.json(await deps.pipelines()));
  routes.get('/:name', async (c) => c.json(await deps.pipeline(c.req.param('name'))));
  routes.post('/:name/trigger', async (c) => {
    const body = parse(triggerBody, await jsonBody(c));
    return c.json(await deps.trigger(c.req.param('name'), body), 201);
  });
  routes.post('/:name/pause', async (c) => c.json(await deps.pause(c.req.param('name'))));
  routes.post('/:name/unpause', async (c) => c.json(await deps.unpause(c.req.param('name'))));
  return routes;
}

/** A body checked against its schema; every problem in one 400 line, as `field: message`. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw new FlowError('E_USAGE', `bad request body: ${problems.join('; ')}`);
}
