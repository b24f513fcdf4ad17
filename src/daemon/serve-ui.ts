/**
 * `flow daemon --ui`: the web UI and `/api/v1` on TCP, over the same control as the socket. Like the socket, a UI
 * that cannot listen (port taken) does not stop the scheduler: cron jobs matter more than their dashboard; the
 * command says why there is no UI.
 */
import type { EventHub } from '../api/event-hub.js';
import type { ClusterSettings } from '../cluster/settings.js';
import { brokenFromStatus } from '../ui/data/daemon.js';
import { openRunReader } from '../ui/data/open-run-reader.js';
import { startUi, type StartedUi, type UiSettings } from '../ui/start.js';
import { DaemonControl } from './control.js';
import type { Daemon } from './daemon.js';
import type { DaemonLog } from './log.js';

export async function serveDaemonUi(daemon: Daemon, hub: EventHub, home: string, log: DaemonLog, settings: UiSettings, cluster?: ClusterSettings): Promise<StartedUi> {
  const control = new DaemonControl(daemon.view, hub);
  // In cluster mode the pages show every scheduler host's runs, from Redis.
  const runs = await openRunReader(cluster, control.store);
  const started = await startUi({ api: control, home, runs, loadErrors: () => brokenFromStatus(home) }, settings, (error, what) => log.write(`web UI ${what} failed: ${error.stack ?? error.message}`));
  log.write(`web UI on ${started.url}${settings.readOnly ? ' (read-only)' : ''}`);
  return started;
}
