/**
 * flow's side of its spawners (server.ts): a process that asks for them (the daemon) gets one at once and a second
 * when the first has a backlog; each command then goes to the least busy. Until one has said it is ready, children
 * wait for it; if none can start, or one refuses a request, children start in this process as before (process.ts
 * decides which commands may go: output to files opened for appending, no input). A spawner that dies takes its
 * children's exit statuses with it (connection.ts); the next start asks for a new one.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { embedded, packageRoot } from '../../util/package.js';
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
 * spawner costs more than its fork saves (`npm run bench`, spawn section).
 */
export function prestartSpawner(): void {
  wanted = true;
  connection();
}

/**
 * How to ask a spawner for this child, if this process wants them; undefined: start it in this process. The asking
 * waits for a spawner that is still starting, and resolves undefined when none could start or it refused the child
 * (start it here then).
 */
export function spawnerFor(outputFd: number, errorFd: number): ((request: SpawnerRequest) => Promise<Started | undefined>) | undefined {
  if (!wanted || broken || !appending(outputFd) || (errorFd !== outputFd && !appending(errorFd))) return undefined;
  const target = connection();
  return async (request) => {
    // Counted before any wait, so that the starts of one turn of the event loop spread over the pool.
    target.backlog += 1;
    if (!(await target.booted) || target.gone) {
      target.backlog -= 1;
      if (!target.ready) broken = true;
      return undefined;
    }
    const { env, ...rest } = request;
    const started = await target.send({ ...rest, outputFd, errorFd }, env);
    // Refused: it cannot reach this process's descriptors (/proc mounted so that it may not).
    if (started === undefined) broken = true;
    return started;
  };
}

/** The least busy live spawner, starting one if there is none or all of them have a backlog. */
function connection(): SpawnerConnection {
  pool = pool.filter((spawner) => !spawner.gone);
  const least = pool.reduce<SpawnerConnection | undefined>((best, spawner) => (best === undefined || spawner.backlog < best.backlog ? spawner : best), undefined);
  if (least !== undefined && (least.backlog < BACKLOG_FOR_ANOTHER || pool.length >= MOST || !least.ready)) return least;
  const started = new SpawnerConnection(spawnerCommand());
  pool.push(started);
  return started;
}

/**
 * The single executable with its marker argument (src/sea.ts), or node with the spawner's own script. A 1 MiB young
 * generation: it allocates little, and its memory is what each of its forks copies.
 */
function spawnerCommand(): string[] {
  if (embedded) return [process.execPath, SPAWNER_ARGUMENT];
  return [process.execPath, '--max-semi-space-size=1', join(packageRoot(), 'dist', 'spawner.js')];
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
