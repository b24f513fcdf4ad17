/**
 * `flow ui` beside a daemon: the daemon's executor events, read from its socket's `GET /api/v1/events` and handed to
 * the UI's listeners as if they were in-process. When no daemon runs (or it stops), the follower waits for the
 * socket to appear in FLOW_HOME (a directory watch, not a poll) and connects again.
 */
import { watch, type FSWatcher } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import type { ApiEvent, ApiListener } from '../../api/event-hub.js';
import { API_BASE, checkSocket, socketPath } from '../../api/socket.js';

export class DaemonEvents {
  private readonly listeners = new Set<ApiListener>();
  private current: ClientRequest | undefined;
  private watcher: FSWatcher | undefined;
  private closed = false;
  /** Connections refused in a row while the socket exists: a daemon still starting, or one that died. */
  private refused = 0;

  /** `onConnected`: told each time the stream from a daemon opens (pages may have missed what happened before). */
  constructor(
    private readonly home: string,
    private readonly onConnected: () => void = () => undefined,
  ) {}

  subscribe(listener: ApiListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.connect();
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.current?.destroy();
  }

  private connect(): void {
    if (this.closed || this.current !== undefined) return;
    const socket = socketPath(this.home);
    let ours: boolean;
    try {
      ours = checkSocket(socket) === 'ours';
    } catch {
      ours = false;
    }
    if (!ours) {
      this.waitForSocket();
      return;
    }
    const req = request({ socketPath: socket, path: `${API_BASE}/events`, headers: { accept: 'text/event-stream' } }, (res) => {
      this.refused = 0;
      let buffer = '';
      let subscribed = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        // The daemon's first comment says the subscription is in place: events from here on reach us.
        if (!subscribed && buffer.includes('\n\n')) {
          subscribed = true;
          this.onConnected();
        }
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.frame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      res.on('close', () => this.lost());
    });
    req.on('error', () => this.lost());
    req.end();
    this.current = req;
  }

  private frame(block: string): void {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice(6))
      .join('\n');
    if (data === '') return;
    let event: ApiEvent;
    try {
      event = JSON.parse(data) as ApiEvent;
    } catch {
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private lost(): void {
    if (this.current === undefined) return;
    this.current = undefined;
    let present = false;
    try {
      present = checkSocket(socketPath(this.home)) === 'ours';
    } catch {
      present = false;
    }
    // A socket that exists but refuses: its daemon is starting (try again shortly) or died (its successor replaces
    // the socket, which the watch sees). Bounded: a dead daemon's socket is not knocked on forever.
    if (present && this.refused < 30) {
      this.refused += 1;
      setTimeout(() => this.connect(), 1000).unref();
    } else {
      this.refused = 0;
      this.waitForSocket();
    }
  }

  private waitForSocket(): void {
    if (this.closed || this.watcher !== undefined) return;
    try {
      this.watcher = watch(this.home, (_kind, name) => {
        if (name !== null && String(name) !== 'daemon.sock') return;
        this.watcher?.close();
        this.watcher = undefined;
        // The socket appears before the daemon listens on it: a refused connection comes back here.
        setTimeout(() => this.connect(), 100);
      });
    } catch {
      // FLOW_HOME cannot be watched: live updates from a later daemon need a restart of flow ui.
    }
  }
}
