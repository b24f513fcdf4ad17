/** `flow worker`: cluster mode's task runner, in the foreground (systemd runs it). */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { runWorker } from '../../cluster/worker.js';
import { loadGlobalConfig } from '../../config/global.js';
import { systemdUnit } from '../../daemon/systemd.js';
import { FlowError } from '../../errors.js';
import { nameProblem } from '../../pipeline/names.js';
import { DEFAULT_POOL } from '../../pipeline/normalize.js';
import { selfCommand } from '../../util/package.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { writeLine, type Io } from '../ui.js';

export interface WorkerFlags {
  pool?: string[];
  concurrency?: number;
  printSystemdUnit?: boolean;
  user?: boolean;
}

export async function workerCommand(flags: WorkerFlags, io: Io): Promise<number> {
  const pools = [...new Set(flags.pool ?? [DEFAULT_POOL])];
  for (const pool of pools) {
    const problem = nameProblem(pool);
    if (problem !== undefined) throw new FlowError('E_USAGE', `--pool "${pool}": a pool name ${problem}`);
  }
  const concurrency = flags.concurrency ?? availableParallelism();
  const home = resolve(flowHome(io.env));
  if (flags.printSystemdUnit) {
    const args = ['worker', ...pools.flatMap((pool) => ['--pool', pool]), ...(flags.concurrency === undefined ? [] : ['--concurrency', String(concurrency)])];
    const service = { description: `flow worker: tasks of pool${pools.length === 1 ? '' : 's'} ${pools.join(', ')}`, args };
    writeLine(io.stdout, systemdUnit({ user: flags.user ?? false, execStart: selfCommand(), flowHome: home, pipelinesDir: resolve(pipelinesDir(undefined, io.env)), runAs: flags.user ? undefined : io.env.USER, service }));
    return 0;
  }
  const config = await loadGlobalConfig(io.env);
  if (config.cluster === undefined) {
    throw new FlowError('E_USAGE', 'flow worker needs cluster mode: no cluster.redis in the config file and no FLOW_REDIS_URL', {
      hint: `add "cluster: { redis: redis://HOST:6379 }" to ${config.file ?? 'the config file'}, or set FLOW_REDIS_URL`,
    });
  }
  const log = (line: string): void => writeLine(io.stdout, `${new Date().toISOString()} ${line}`);
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) return;
    log(`${signal}: stopping`);
    stop.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await runWorker({ settings: config.cluster, pools, concurrency, home, env: io.env, log, stop: stop.signal });
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
  log('stopped');
  return 0;
}
