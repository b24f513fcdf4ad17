/**
 * Every view of the web UI. A view is a module exporting `register(app, ui)`: it adds its pages (GET, server-rendered
 * with `page()` from ../layout.js), its actions (POST forms through ../actions.js) and, if it streams something of
 * its own, its topic source (`ui.topics.register`). Adding a view is one import and one line here.
 */
import type { RegisterRoutes } from '../context.js';
import { register as daemon } from './daemon.js';
import { register as log } from './log.js';
import { register as pipeline } from './pipeline.js';
import { register as pipelines } from './pipelines.js';
import { register as run } from './run.js';
import { register as upcoming } from './upcoming.js';

export const views: RegisterRoutes[] = [pipelines, upcoming, daemon, pipeline, run, log];
