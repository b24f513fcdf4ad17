/**
 * Starting the web UI, for `flow daemon --ui` and `flow ui`: the token (made once in FLOW_HOME/ui-token), the app on
 * the address asked for. Returns what the command prints: the URL, the login URL when the token was just made
 * (printed once: it is not written to daemon.log, which the Daemon page shows), and whether the address is reachable
 * from other machines (then the command warns to put TLS in front).
 */
import { createUiApp, type UiApp } from './app.js';
import type { UiContext, UiDeps } from './context.js';
import { exposed } from './listen.js';
import type { Listen } from './security/hosts.js';
import { readOrCreateToken, tokenPath } from './security/token.js';
import { serveUi, type UiServer } from './server.js';

export interface UiSettings {
  listen: Listen;
  /** Names a proxy in front may give in Host (besides the listen address). */
  hostNames: string[];
  readOnly: boolean;
}

export interface StartedUi {
  server: UiServer;
  ui: UiContext;
  url: string;
  tokenFile: string;
  /** Only when the token was made now. */
  loginUrl: string | undefined;
  exposed: boolean;
  close(): Promise<void>;
}

export async function startUi(deps: UiDeps, settings: UiSettings, onInternalError?: (error: Error, what: string) => void): Promise<StartedUi> {
  const { token, created } = readOrCreateToken(deps.home);
  let made: UiApp | undefined;
  const server = await serveUi((listen) => {
    made = createUiApp(deps, { token, listen, hostNames: settings.hostNames, readOnly: settings.readOnly, onInternalError });
    return made.app;
  }, settings.listen);
  if (made === undefined) throw new Error('the web UI app was not made');
  return {
    server,
    ui: made.ui,
    url: server.url,
    tokenFile: tokenPath(deps.home),
    loginUrl: created ? `${server.url}/ui/login?token=${token}` : undefined,
    exposed: exposed(settings.listen),
    close: async () => {
      made?.close();
      await server.close();
    },
  };
}
