/**
 * flow's side of its spawners (server.ts): a process that asks for them (the daemon) gets one at once and a second
 * when the first has a backlog; each command then goes to the least busy ready one. While none is ready, children
 * start in this process as before, and for good if none can start or one refuses a request (process.ts decides which
 * commands may go: output to files opened for appending, no input). A spawner with nothing to do for two minutes
 * ends (connection.ts), so an idle daemon holds none; the next start asks for a new one, as after one that died.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { helperCommand } from '../../util/package.js';
import { SpawnerConnection, type Started } from './connection.js';
import { SPAWNER_ARGUMENT, type SpawnRequest } from './protocol.js';

export type { Started } from './connection.js';
export type SpawnerRequest = Omit<SpawnRequest, 'id' | 'outputFd' | 'errorFd' | 'env'> & { env: Record<string, string> };

/** Starts waiting on one spawner before a second is started. Forks are the work: one per core at most. */
const BACKLOG_FOR_ANOTHER = 32;
const MOST = Math.max(1, Math.min(2, availableParallelism()));

let wanted = false;
/** None could ever start, or one refused: children start in this process from now on. */
let broken = false;
let pool: SpawnerConnection[] = [];

/**
 * Children of this process start from spawners from now on. The daemon asks: its memory grows with the runs it
 * holds, and a fork costs in proportion to it. A `flow run` does not: its process stays small, and a trip through a
 * spawner costs more than its fork saves (`npm run bench`, spawn section). One starts now, so that the first burst
 * finds it ready.
 */
export function prestartSpawner(): void {
  wanted = true;
  ready();
}

/**
 * How to ask a spawner for this child, if this process wants them and one is ready; undefined: start it in this
 * process (while a spawner boots, say: a child never waits for one). The asking resolves undefined when the spawner
 * refused the child (start it here then).
 */
export function spawnerFor(outputFd: number, errorFd: number): ((request: SpawnerRequest) => Promise<Started | undefined>) | undefined {
  if (!wanted || broken || !appending(outputFd) || (errorFd !== outputFd && !appending(errorFd))) return undefined;
  const target = ready();
  if (target === undefined) return undefined;
  return async (request) => {
    // It ended since it was chosen: nothing was asked of it.
    if (target.gone) return undefined;
    const { env, ...rest } = request;
    const started = await target.send({ ...rest, outputFd, errorFd }, env);
    // Refused: it cannot reach this process's descriptors (/proc mounted so that it may not).
    if (started === undefined && !target.gone) broken = true;
    return started;
  };
}

/**
 * The least busy spawner that is ready, if any. Starts one when there is none (or none left: it went idle, or
 * died), and another while all that are ready have a backlog, up to one per core and two.
 */
function ready(): SpawnerConnection | undefined {
  pool = pool.filter((spawner) => !spawner.gone);
  const least = pool.filter((spawner) => spawner.ready).reduce<SpawnerConnection | undefined>((best, spawner) => (best === undefined || spawner.backlog < best.backlog ? spawner : best), undefined);
  const booting = pool.some((spawner) => !spawner.ready);
  if (!booting && pool.length < MOST && (least === undefined || least.backlog >= BACKLOG_FOR_ANOTHER)) {
    const started = new SpawnerConnection(spawnerCommand());
    pool.push(started);
    // One that never became ready will not: children start in this process from now on.
    void started.booted.then((ok) => {
      if (!ok) broken = true;
    });
  }
  return least;
}

/** A 1 MiB young generation: the spawner allocates little, and its memory is what each of its forks copies. */
function spawnerCommand(): string[] {
  return helperCommand(SPAWNER_ARGUMENT, 'spawner.js', ['--max-semi-space-size=1']);
}

/** Whether a descriptor of this process was opened for appending (O_APPEND): another opening of its file then writes where it does. */
function appending(fd: number): boolean {
  try {
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))?.[1];
    return flags !== undefined && (Number.parseInt(flags, 8) & 0o2000) !== 0;
  } catch {
    return false;
  }
}
