/**
 * The daemon's control API on `FLOW_HOME/daemon.sock`. A daemon that cannot make its socket (a FLOW_HOME path too
 * long for one, a read-only directory) still schedules; its log says why `flow trigger` and the like cannot reach it.
 */
import { createApp } from '../api/app.js';
import { EventHub } from '../api/event-hub.js';
import { serveOnSocket, type ApiServer } from '../api/server.js';
import { readPaused } from '../control/paused.js';
import { DaemonControl } from './control.js';
import type { Daemon } from './daemon.js';
import type { DaemonLog } from './log.js';

/** The hooks a daemon needs before it starts, so the API sees its runs from the first one. */
export function controlHooks(home: string, log: DaemonLog): { hub: EventHub; observe: (pipeline: string) => ReturnType<EventHub['sinkFor']>; paused: (pipeline: string) => boolean } {
  const hub = new EventHub();
  return {
    hub,
    observe: (pipeline) => hub.sinkFor(pipeline),
    paused: (pipeline) => readPaused(home, (message) => log.write(message)).has(pipeline),
  };
}

export async function serveControlApi(daemon: Daemon, hub: EventHub, home: string, log: DaemonLog): Promise<ApiServer | undefined> {
  const app = createApp(new DaemonControl(daemon.view, hub), {
    onInternalError: (error, what) => log.write(`API ${what} failed: ${error.stack ?? error.message}`),
  });
  try {
    const server = await serveOnSocket(home, app);
    log.write(`API on ${server.socket}${server.removedStale ? ' (removed a socket left by a daemon that died)' : ''}`);
    return server;
  } catch (error) {
    log.write(`no API: ${(error as Error).message}; the daemon schedules on, but flow trigger, stop and pause cannot reach it`);
    return undefined;
  }
}
