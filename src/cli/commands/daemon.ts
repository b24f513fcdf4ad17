/** `flow daemon`: the scheduler, in the foreground (systemd runs it). */
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join, resolve } from 'node:path';
import type { ApiServer } from '../../api/server.js';
import type { ClusterScheduler } from '../../daemon/cluster/scheduler.js';
import type { ClusterSettings } from '../../cluster/settings.js';
import { Daemon } from '../../daemon/daemon.js';
import { DaemonLog } from '../../daemon/log.js';
import { controlHooks, serveControlApi } from '../../daemon/serve-api.js';
import { systemdUnit } from '../../daemon/systemd.js';
import { FlowError } from '../../errors.js';
import { release, tryLock } from '../../store/lock.js';
import { parseDuration } from '../../util/duration.js';
import { DAEMON_V8_FLAGS, selfCommand } from '../../util/package.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { checkRootPipelinesDir } from '../../util/private-fs.js';
import { openServices } from '../services.js';
import type { EventHub } from '../../api/event-hub.js';
import { uiSettings } from '../../ui/settings.js';
import type { StartedUi, UiSettings } from '../../ui/start.js';
import { writeLine, type Io } from '../ui.js';
import { printUiStart } from './ui-start.js';

export interface DaemonFlags {
  dir?: string;
  maxTasks?: number;
  grace?: string;
  printSystemdUnit?: boolean;
  user?: boolean;
  ui?: boolean;
  listen?: string;
  hostName?: string[];
  readOnly?: boolean;
}

/**
 * A burst of thousands of runs makes garbage faster than V8's default heap growth collects it: by default the heap
 * may grow to four times what was alive at the last full collection before the next one starts, which made a
 * 5,000-pipeline minute peak at ~690 MiB. Growing by at most 10% (read by V8 at each collection, so it can be set
 * here, for the npm package and the single executable alike) keeps the peak near what is alive (~250 MiB; 30% gave
 * ~280), for more frequent full collections, which an idle daemon does not notice.
 */
function keepHeapTight(): void {
  setFlagsFromString('--heap-growing-percent=10');
}

export async function daemonCommand(flags: DaemonFlags, io: Io): Promise<number> {
  const dir = resolve(pipelinesDir(flags.dir, io.env));
  const home = resolve(flowHome(io.env));
  if (flags.printSystemdUnit) {
    writeLine(io.stdout, systemdUnit({ user: flags.user ?? false, execStart: selfCommand(DAEMON_V8_FLAGS), flowHome: home, pipelinesDir: dir, runAs: flags.user ? undefined : io.env.USER }));
    return 0;
  }
  const graceMs = flags.grace === undefined ? 30_000 : parseDuration(flags.grace);
  if (graceMs === undefined) throw new FlowError('E_USAGE', `--grace: "${flags.grace ?? ''}" is not a duration (write 30s, 2m)`);

  refuseMissingDir(dir, resolve(pipelinesDir(undefined, io.env)));
  checkRootPipelinesDir(dir);
  keepHeapTight();
  // In cluster mode, tasks go to their pools' workers (the remote runner), and Redis is checked first.
  const services = await openServices(io, { cluster: true });
  const webUi = flags.ui === true || flags.listen !== undefined || services.config.ui.enabled ? uiSettings(flags, services.config.ui) : undefined;
  const log = DaemonLog.open(home, (line) => writeLine(io.stdout, line));
  const lock = join(home, 'daemon.lock');
  const holder = tryLock(lock, (message) => writeLine(io.stderr, `flow: warning: ${message}`));
  if (holder !== null) {
    const who = holder === 'unknown' ? `${lock} is held and cannot be taken over` : `pid ${holder.pid} on ${holder.host}`;
    throw new FlowError('E_LOCKED', `a daemon already runs for FLOW_HOME ${home}: ${who}`, {
      hint: 'stop it first (kill -TERM), or give this one another FLOW_HOME',
    });
  }
  // Signals are handled from the first moment: one that arrives while the daemon is starting stops it right after.
  let daemon: Daemon | undefined;
  let cluster: ClusterScheduler | undefined;
  let api: ApiServer | undefined;
  let web: StartedUi | undefined;
  let stopRequested: NodeJS.Signals | undefined;
  let forced = false;
  let resolveStop: () => void = () => undefined;
  const stopped = new Promise<void>((resolvePromise) => (resolveStop = resolvePromise));
  const stop = (): void => {
    if (daemon === undefined || stopRequested === undefined) return;
    log.write(`${stopRequested}: no more runs start`);
    void cluster?.retire();
    daemon.stop(graceMs).then(resolveStop, (error: unknown) => {
      log.write(`stopping failed: ${(error as Error).message}`);
      resolveStop();
    });
    if (forced) daemon.force();
  };
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopRequested !== undefined) {
      if (signal === 'SIGINT') {
        forced = true;
        daemon?.force();
      }
      return;
    }
    stopRequested = signal;
    stop();
  };
  const onReload = (): void => {
    daemon?.reload('SIGHUP: reloaded').catch((error: unknown) => log.write(`reload failed: ${(error as Error).message}`));
  };
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  process.on('SIGHUP', onReload);
  try {
    // cron starts every job when it is due, however many run; a cap is the operator's choice (--max-tasks).
    const maxTasks = flags.maxTasks ?? Infinity;
    const cap = Number.isFinite(maxTasks) ? `at most ${maxTasks} tasks at once` : 'no limit on tasks at once';
    log.write(`flow daemon ${process.pid} starting: FLOW_HOME ${home}, ${cap}`);
    const hooks = controlHooks(home, log);
    const settings = services.config.cluster;
    if (settings !== undefined) {
      // The Redis client is loaded only in cluster mode: a daemon without it keeps that memory (about 10 MiB).
      const { ClusterScheduler, timingsOf } = await import('../../daemon/cluster/scheduler.js');
      cluster = await ClusterScheduler.open(settings, home, log, { ...timingsOf(io.env), retention: services.config.retention });
    }
    const runServices = cluster === undefined ? services : { ...services, history: cluster.historySink, historyRecord: cluster.historyRecord };
    daemon = await Daemon.start({ dir, services: runServices, log, maxTasks, observe: hooks.observe, paused: hooks.paused, cluster: cluster?.gate });
    await cluster?.begin(daemon);
    api = await serveControlApi(daemon, hooks.hub, home, log);
    if (webUi !== undefined) web = await startWebUi(daemon, hooks.hub, home, log, webUi, io, settings);
    stop();
    await stopped;
  } finally {
    await web?.close();
    await cluster?.close();
    await api?.close();
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    process.off('SIGHUP', onReload);
    release(lock);
  }
  return 0;
}

async function startWebUi(daemon: Daemon, hub: EventHub, home: string, log: DaemonLog, settings: UiSettings, io: Io, cluster: ClusterSettings | undefined): Promise<StartedUi | undefined> {
  try {
    // The web UI's modules only when it is asked for: a daemon without it keeps that memory.
    const { serveDaemonUi } = await import('../../daemon/serve-ui.js');
    const started = await serveDaemonUi(daemon, hub, home, log, settings, cluster);
    printUiStart(started, io, false);
    return started;
  } catch (error) {
    if (!(error instanceof FlowError)) throw error;
    log.write(`no web UI: ${error.message}; the daemon schedules on`);
    writeLine(io.stderr, `flow: warning: no web UI: ${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`);
    return undefined;
  }
}

/**
 * Only the default pipelines directory is created when missing: a directory named on the command line that does
 * not exist is a typo, and scheduling "0 pipelines" from it would hide that.
 */
function refuseMissingDir(dir: string, defaultDir: string): void {
  if (dir === defaultDir) return;
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return;
    throw new FlowError('E_NOT_FOUND', `--dir ${dir}: no such directory; create it (mkdir -p ${dir}) or correct the path`);
  }
  if (!isDirectory) throw new FlowError('E_NOT_FOUND', `--dir ${dir}: not a directory`);
}
