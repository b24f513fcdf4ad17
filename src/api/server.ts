/**
 * Serving the API app on the daemon's Unix socket. The daemon holds daemon.lock, so a socket found at start was left
 * by a daemon that died: it is removed. The socket is made with umask 0177 (so it is 0600 from its first moment) in
 * FLOW_HOME, which is kept 0700 (util/private-fs.ts).
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { Hono } from 'hono';
import { FlowError } from '../errors.js';
import { errnoWords } from '../util/errno.js';
import { ensurePrivateHome } from '../util/private-fs.js';
import { socketPath } from './socket.js';

export interface ApiServer {
  socket: string;
  /** Whether a stale socket was found and removed. */
  removedStale: boolean;
  close(): Promise<void>;
}

/** Unix socket paths are limited to 108 bytes (sun_path) on Linux. */
const MAX_SOCKET_PATH = 107;

export async function serveOnSocket(home: string, app: Hono): Promise<ApiServer> {
  const socket = socketPath(home);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    throw new FlowError('E_SOCKET', `cannot serve the API at ${socket}: a socket path may have at most ${MAX_SOCKET_PATH} bytes`, { hint: 'use a shorter FLOW_HOME' });
  }
  ensurePrivateHome(home);
  let removedStale = false;
  try {
    unlinkSync(socket);
    removedStale = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FlowError('E_SOCKET', `cannot remove the old socket ${socket}: ${errnoWords(error)}`, { cause: error });
  }
  const server = createServer(lazyListener(app));
  // Followers hold their event stream open for as long as they like.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socket, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new FlowError('E_SOCKET', `cannot serve the API at ${socket}: ${errnoWords(error)}`, { cause: error });
  } finally {
    process.umask(umask);
  }
  chmodSync(socket, 0o600);
  return {
    socket,
    removedStale,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        try {
          unlinkSync(socket);
        } catch {
          // already gone
        }
      }),
  };
}

/**
 * The app as a Node request listener, made when the first request comes: @hono/node-server imports node:http2 (and
 * through it tls, crypto and zlib), and its Request and Response load undici; an idle daemon serves no request and
 * keeps that memory (several MiB).
 */
function lazyListener(app: Hono): RequestListener {
  let listener: Promise<RequestListener> | undefined;
  return (request, response) => {
    listener ??= import('@hono/node-server').then(({ getRequestListener }) => getRequestListener(app.fetch));
    void listener.then((handle) => handle(request, response));
  };
}
