/** The npm package's entry for the daemon's pipeline loader (src/daemon/loader/server.ts), started by the daemon. */
import { serveLoader } from './daemon/loader/server.js';

void serveLoader();
