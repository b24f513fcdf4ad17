/**
 * One spawner process (server.ts) as flow sees it: started, told what to start, and its answers matched to the
 * requests. If it dies, the children it started are ended (their exit status went with it) and said to be lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { ChildResult } from '../child.js';
import { signalGroup } from '../signal-group.js';
import { helperEnvironment } from '../../util/package.js';
import { READY, type SpawnReply, type SpawnRequest } from './protocol.js';


/** A child that was asked for: its pid (undefined: nothing started) and how it ended. */
export interface Started {
  pid: number | undefined;
  result: Promise<ChildResult>;
}

interface Pending {
  /** Until the spawner has said whether it started. */
  started?: (reply: Started | undefined) => void;
  pid?: number | undefined;
  ended: (result: ChildResult) => void;
}

/** A spawner that has not said it is ready after this long never will. */
const BOOT_MS = 30_000;
/** A spawner that has started nothing for this long ends: an idle daemon keeps no spawner. (Shorter in tests.) */
const IDLE_MS = Number(process.env.FLOW_SPAWNER_IDLE_MS ?? 120_000);

export class SpawnerConnection {
  /** Resolves true once it is ready to take requests, false if it ended first. */
  readonly booted: Promise<boolean>;
  ready = false;
  /** It ended, or refused a request (it cannot reach flow's descriptors): ask it nothing more. */
  gone = false;
  /** Starts asked of it that it has not yet said it started. */
  backlog = 0;
  private readonly child: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private ended = false;
  private idle: NodeJS.Timeout | undefined;
  /** The environment it was started with: requests send only how a child's differs from it (NODE_OPTIONS, say). */
  private readonly base = helperEnvironment();
  private boot: (ready: boolean) => void = () => undefined;

  constructor(command: readonly string[]) {
    this.booted = new Promise((resolve) => (this.boot = resolve));
    const [file, ...args] = command;
    try {
      this.child = spawn(file as string, [...args, String(process.pid)], { stdio: ['pipe', 'pipe', 'ignore'], detached: true, env: this.base });
    } catch {
      this.end();
      return;
    }
    const child = this.child;
    // Neither the spawner nor its pipes keep flow alive when no child is running: it exits when its input closes.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    (child.stdout as Socket | null)?.unref();
    child.stdin?.on('error', () => undefined);
    child.on('error', () => this.end());
    child.stdout?.on('close', () => this.end());
    // Never ready: it is stuck, not starting.
    setTimeout(() => this.ready || child.kill('SIGKILL'), BOOT_MS).unref();
    createInterface({ input: child.stdout as NodeJS.ReadableStream, crlfDelay: Infinity }).on('line', (line) => {
      if (line !== READY) this.answer(JSON.parse(line) as SpawnReply);
      else {
        this.ready = true;
        this.boot(true);
        this.rest();
      }
    });
  }

  /** Asks it to start a child with this environment; undefined when it refused (start the child elsewhere). */
  send(request: Omit<SpawnRequest, 'id' | 'env'>, env: Record<string, string>): Promise<Started | undefined> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      let ended!: (result: ChildResult) => void;
      const result = new Promise<ChildResult>((settle) => (ended = settle));
      const entry: Pending = {
        ended,
        started: (started) => {
          delete entry.started;
          this.backlog -= 1;
          entry.pid = started?.pid;
          if (started?.pid === undefined) this.forget(id);
          resolve(started === undefined ? undefined : { pid: started.pid, result: started.pid === undefined ? started.result : result });
        },
      };
      // While a child runs, the spawner's answers keep this process alive, as the child itself would.
      if (this.pending.size === 0) (this.child?.stdout as Socket | null | undefined)?.ref();
      this.pending.set(id, entry);
      this.backlog += 1;
      this.idle?.close();
      this.child?.stdin?.write(`${JSON.stringify({ ...request, id, env: this.difference(env) })}\n`);
    });
  }

  /** An environment as it differs from the one the spawner was started with. */
  private difference(env: Record<string, string>): SpawnRequest['env'] {
    const set: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (this.base[name] !== value) set[name] = value;
    const unset = Object.keys(this.base).filter((name) => !Object.hasOwn(env, name));
    return { set, unset };
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.rest();
  }

  /** Nothing is running through it: it does not keep flow alive, and it ends if nothing comes for a while. */
  private rest(): void {
    (this.child?.stdout as Socket | null | undefined)?.unref();
    this.idle?.close();
    this.idle = setTimeout(() => {
      if (this.pending.size === 0) this.retire();
    }, IDLE_MS).unref();
  }

  /** Asked nothing more: its input closes, and it ends once the children it started have. */
  private retire(): void {
    this.gone = true;
    this.child?.stdin?.end();
  }

  private answer(reply: SpawnReply): void {
    const entry = this.pending.get(reply.id);
    if (entry === undefined) return;
    if ('refused' in reply) {
      this.retire();
      entry.started?.(undefined);
      return;
    }
    if ('started' in reply) {
      const error = reply.error;
      entry.started?.({ pid: reply.pid, result: Promise.resolve({ exitCode: undefined, signal: undefined, error }) });
      return;
    }
    this.forget(reply.id);
    entry.ended({ exitCode: reply.exitCode, signal: reply.signal, error: reply.error });
  }

  /** It ended: what it was asked and had not answered cannot be known, so its children are ended and said lost. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.gone = true;
    this.boot(false);
    const why = `flow's spawner (pid ${this.child?.pid ?? '?'}) ended`;
    for (const [id, entry] of this.pending) {
      this.pending.delete(id);
      // It may have started the child just before it died: never start it again, say so.
      if (entry.started !== undefined) entry.started({ pid: undefined, result: Promise.resolve({ exitCode: undefined, signal: undefined, error: `could not start: ${why}` }) });
      else {
        if (entry.pid !== undefined) signalGroup(entry.pid, 'SIGKILL');
        entry.ended({ exitCode: undefined, signal: undefined, error: `${why} while the task ran; the task was killed` });
      }
    }
  }
}
