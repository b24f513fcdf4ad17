/**
 * `flow ui`: the web UI without a scheduler, reading the store and the pipelines directory; actions go through the
 * daemon's socket when a daemon runs (see src/ui/standalone/control.ts for what works without one).
 */
import { resolve } from 'node:path';
import { openStore } from '../store.js';
import { brokenFromStatus } from '../../ui/data/daemon.js';
import { openRunReader } from '../../ui/data/open-run-reader.js';
import { uiSettings, type UiFlags } from '../../ui/settings.js';
import { StandaloneControl } from '../../ui/standalone/control.js';
import { DaemonEvents } from '../../ui/standalone/daemon-events.js';
import { LocalCatalog } from '../../ui/standalone/local-catalog.js';
import { startUi, type StartedUi } from '../../ui/start.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { loadGlobalConfig } from '../../config/global.js';
import { listenForStop } from '../signals.js';
import { writeLine, type Io } from '../ui.js';
import { printUiStart } from './ui-start.js';

export interface UiCommandFlags extends UiFlags {
  dir?: string;
}

const NO_DAEMON = 'No daemon runs for this FLOW_HOME: nothing fires on schedule, and Run now and Retry need one (start `flow daemon`).';

export async function uiCommand(flags: UiCommandFlags, io: Io): Promise<number> {
  const home = resolve(flowHome(io.env));
  const dir = resolve(pipelinesDir(flags.dir, io.env));
  const config = await loadGlobalConfig(io.env);
  const settings = uiSettings(flags, config.ui);
  const store = await openStore(io);
  // In cluster mode the pages show every scheduler host's runs, from Redis.
  const runs = await openRunReader(config.cluster, store);
  let started: StartedUi | undefined;
  const catalog = new LocalCatalog(dir, home, store, () => started?.ui.broadcast.publish('pipelines', { event: 'changed', data: null }));
  const events = new DaemonEvents(home, () => {
    writeLine(io.stdout, 'following the daemon\'s runs');
    // What happened while no daemon was followed is not in the stream: open pages read it again.
    for (const topic of ['pipelines', 'daemon']) started?.ui.broadcast.publish(topic, { event: 'changed', data: null });
  });
  const control = new StandaloneControl(store, home, catalog, events);
  const stop = listenForStop();
  try {
    started = await startUi(
      {
        api: control,
        home,
        runs,
        loadErrors: async () => ((await control.daemonRuns()) ? brokenFromStatus(home) : (await catalog.load()).broken),
        notice: async () => ((await control.daemonRuns()) ? undefined : NO_DAEMON),
      },
      settings,
      (error, what) => writeLine(io.stderr, `flow: web UI ${what} failed: ${error.stack ?? error.message}`),
    );
    printUiStart(started, io, true);
    writeLine(io.stdout, `no scheduler here: ${(await control.daemonRuns()) ? 'actions go to the running daemon' : 'no daemon runs, so nothing fires until `flow daemon` starts'}${settings.readOnly ? ' (read-only)' : ''}`);
    await new Promise<void>((resolvePromise) => stop.signal.addEventListener('abort', () => resolvePromise(), { once: true }));
    return 0;
  } finally {
    stop.dispose();
    events.close();
    catalog.close();
    await started?.close();
  }
}
