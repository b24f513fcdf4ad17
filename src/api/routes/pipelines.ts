/** `/api/v1/pipelines`: what is scheduled, and what a client may ask of a pipeline (trigger, pause, unpause). */
import { Hono } from 'hono';
import { jsonBody } from '../body.js';
import type { ApiDeps } from '../deps.js';

const schemas = () => import('../request-schemas.js');

export function pipelineRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => c.json(await deps.pipelines()));
  routes.get('/:name', async (c) => c.json(await deps.pipeline(c.req.param('name'))));
  routes.post('/:name/trigger', async (c) => {
    const { parse, triggerBody } = await schemas();
    const body = parse(triggerBody, await jsonBody(c));
    return c.json(await deps.trigger(c.req.param('name'), body), 201);
  });
  routes.post('/:name/pause', async (c) => c.json(await deps.pause(c.req.param('name'))));
  routes.post('/:name/unpause', async (c) => c.json(await deps.unpause(c.req.param('name'))));
  return routes;
}
