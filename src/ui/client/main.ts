/**
 * The browser's script (bundled by esbuild into /ui/assets/app.js). Every page works without it; with it, pages
 * update live from the tab's one event stream. A view with client behaviour of its own adds an `init…()` here that
 * does nothing on pages without its elements, and subscribes its topics before `start()`.
 */
import { initActions } from './actions.js';
import { start } from './live.js';
import { initLog } from './log.js';
import { initRegions } from './regions.js';
import { initRows } from './rows.js';
import { initTimes } from './times.js';

initActions();
initTimes();
initRegions();
initRows();
initLog();
start();
