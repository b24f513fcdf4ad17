/** The npm package's entry for flow's spawner (src/engine/spawner/server.ts), started by flow with its own pid. */
import { serveSpawner } from './engine/spawner/server.js';

serveSpawner(Number(process.argv[2]));
