/**
 * flow's side of the spawner (server.ts): a process that asks for it (the daemon) starts it once; each command then
 * goes to it and what it answers comes back. Until it has said it is ready, and for ever if it cannot start or
 * refuses a request, children start in this process as before (process.ts decides which commands may go: output to files
 * opened for appending, no input). If it dies, the children it started are ended (their exit status went with it)
 * and the next start asks for a new one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { embedded, packageRoot } from '../../util/package.js';
import { signalGroup } from '../signal-group.js';
import { READY, SPAWNER_ARGUMENT, type SpawnReply, type SpawnRequest } from './protocol.js';

export interface ChildResult {
  exitCode: number | undefined;
  signal: string | undefined;
  /** It could not start, or its end was not learnt: why, in a line. */
  error?: string | undefined;
}

/** A child that was asked for: its pid (undefined: nothing started) and how it ended. */
export interface Started {
  pid: number | undefined;
  result: Promise<ChildResult>;
}

export type SpawnerRequest = Omit<SpawnRequest, 'id' | 'outputFd' | 'errorFd'>;

interface Pending {
  /** Until the spawner has said whether it started. */
  started?: (reply: Started | undefined) => void;
  pid?: number | undefined;
  ended: (result: ChildResult) => void;
}

/** A spawner that has not said it is ready after this long never will: children start in this process. */
const BOOT_MS = 30_000;

let wanted = false;
let server: ChildProcess | undefined;
/** The spawner once it has said it is ready; undefined if it ended first. */
let booted: Promise<ChildProcess | undefined> = Promise.resolve(undefined);
let boot: ((ready: ChildProcess | undefined) => void) | undefined;
let ready = false;
let broken = false;
let nextId = 1;
const pending = new Map<number, Pending>();

/**
 * Children of this process start from the spawner from now on (once it is ready). The daemon asks: its memory grows
 * with the runs it holds, and a fork costs in proportion to it. A `flow run` does not: its process stays small, and
 * a trip through the spawner costs more than its fork saves (`npm run bench`, spawn section).
 */
export function prestartSpawner(): void {
  wanted = true;
  if (server === undefined && !broken) startServer();
}

/**
 * How to ask the spawner for this child, if this process wants one; undefined: start it in this process. The asking
 * waits for a spawner that is still starting, and resolves undefined when it could not start or refused the child
 * (start it here then).
 */
export function spawnerFor(outputFd: number, errorFd: number): ((request: SpawnerRequest) => Promise<Started | undefined>) | undefined {
  if (!wanted || broken || !appending(outputFd) || (errorFd !== outputFd && !appending(errorFd))) return undefined;
  if (server === undefined) startServer();
  return async (request) => {
    const target = await booted;
    if (target === undefined || target !== server) return undefined;
    return send(target, { ...request, id: nextId++, outputFd, errorFd });
  };
}

function send(target: ChildProcess, request: SpawnRequest): Promise<Started | undefined> {
  return new Promise((resolve) => {
    let ended!: (result: ChildResult) => void;
    const result = new Promise<ChildResult>((settle) => (ended = settle));
    const entry: Pending = {
      ended,
      started: (started) => {
        delete entry.started;
        entry.pid = started?.pid;
        if (started?.pid === undefined) forget(request.id);
        resolve(started === undefined ? undefined : { pid: started.pid, result: started.pid === undefined ? started.result : result });
      },
    };
    // While a child runs, the spawner's answers keep this process alive, as the child itself would.
    if (pending.size === 0) (target.stdout as Socket | null)?.ref();
    pending.set(request.id, entry);
    target.stdin?.write(`${JSON.stringify(request)}\n`);
  });
}

function forget(id: number): void {
  pending.delete(id);
  if (pending.size === 0) (server?.stdout as Socket | null | undefined)?.unref();
}

/**
 * The single executable with its marker argument (src/sea.ts), or node with the spawner's own script. A 1 MiB young
 * generation: it allocates little, and its memory is what each of its forks copies.
 */
function spawnerCommand(): string[] {
  if (embedded) return [process.execPath, SPAWNER_ARGUMENT];
  return [process.execPath, '--max-semi-space-size=1', join(packageRoot(), 'dist', 'spawner.js')];
}

function startServer(): void {
  const [file, ...args] = spawnerCommand();
  let child: ChildProcess;
  try {
    child = spawn(file as string, [...args, String(process.pid)], { stdio: ['pipe', 'pipe', 'ignore'], detached: true });
  } catch {
    broken = true;
    return;
  }
  server = child;
  booted = new Promise((resolve) => (boot = resolve));
  const timer = setTimeout(() => {
    // Never ready: it is stuck, not starting.
    if (!ready && server === child) child.kill('SIGKILL');
  }, BOOT_MS);
  timer.unref();
  // Neither the spawner nor its pipes keep flow alive when no child is running: it exits when its input closes.
  child.unref();
  (child.stdin as Socket | null)?.unref();
  (child.stdout as Socket | null)?.unref();
  child.stdin?.on('error', () => undefined);
  child.on('error', () => gone(child));
  child.stdout?.on('close', () => gone(child));
  createInterface({ input: child.stdout as NodeJS.ReadableStream, crlfDelay: Infinity }).on('line', (line) => {
    if (line === READY) {
      ready = true;
      boot?.(child);
    } else answer(JSON.parse(line) as SpawnReply);
  });
}

function answer(reply: SpawnReply): void {
  const entry = pending.get(reply.id);
  if (entry === undefined) return;
  if ('refused' in reply) {
    // It cannot reach this process's descriptors (say, /proc is mounted so that it may not): start children here.
    broken = true;
    entry.started?.(undefined);
    return;
  }
  if ('started' in reply) {
    const error = reply.error;
    entry.started?.({ pid: reply.pid, result: Promise.resolve({ exitCode: undefined, signal: undefined, error }) });
    return;
  }
  forget(reply.id);
  entry.ended({ exitCode: reply.exitCode, signal: reply.signal, error: reply.error });
}

/** The spawner ended: its children's exit statuses went with it, so they are ended too and said to be lost. */
function gone(child: ChildProcess): void {
  if (server !== child) return;
  // One that never became ready will not: children start here from now on.
  if (!ready) broken = true;
  server = undefined;
  ready = false;
  boot?.(undefined);
  const why = `flow's spawner (pid ${child.pid ?? '?'}) ended`;
  for (const [id, entry] of pending) {
    pending.delete(id);
    // It may have started the child just before it died: never start it again, say so.
    if (entry.started !== undefined) entry.started({ pid: undefined, result: Promise.resolve({ exitCode: undefined, signal: undefined, error: `could not start: ${why}` }) });
    else {
      if (entry.pid !== undefined) signalGroup(entry.pid, 'SIGKILL');
      entry.ended({ exitCode: undefined, signal: undefined, error: `${why} while the task ran; the task was killed` });
    }
  }
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
