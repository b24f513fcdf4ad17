/** What `flow daemon --ui` and `flow ui` print when the web UI listens: where, how to log in, and the TLS warning. */
import type { StartedUi } from '../../ui/start.js';
import { writeLine, type Io } from '../ui.js';

/** `announce`: print where it listens (the daemon's own log line says it already). */
export function printUiStart(started: StartedUi, io: Io, announce: boolean): void {
  if (announce) writeLine(io.stdout, `web UI on ${started.url}`);
  if (started.loginUrl !== undefined) writeLine(io.stdout, `log in at ${started.loginUrl}  (shown once; the token is in ${started.tokenFile})`);
  else writeLine(io.stdout, `log in with the token in ${started.tokenFile}`);
  if (started.exposed) {
    writeLine(io.stderr, `flow: warning: the web UI listens on ${started.server.listen.host}:${started.server.listen.port}, reachable from other machines over plain HTTP: put a TLS proxy in front (see README "Web UI")`);
  }
}
