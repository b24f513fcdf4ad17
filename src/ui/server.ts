/**
 * The UI app on TCP, through @hono/node-server. Event streams stay open as long as a tab does, so requests have no
 * time limit; headers must arrive within 10 s (a slow-loris client cannot hold sockets forever).
 */
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { FlowError } from '../errors.js';
import { errnoWords } from '../util/errno.js';
import type { UiEnv } from './context.js';
import type { Listen } from './security/hosts.js';
import { urlOf } from './listen.js';

export interface UiServer {
  url: string;
  listen: Listen;
  close(): Promise<void>;
}

/** `makeApp` gets the address actually bound (port 0 asks the system for a free one): the Host check needs it. */
export async function serveUi(makeApp: (bound: Listen) => Hono<UiEnv>, listen: Listen): Promise<UiServer> {
  const serving: { app?: Hono<UiEnv> } = {};
  const server = createAdaptorServer({ fetch: (request: Request) => (serving.app === undefined ? new Response('starting', { status: 503 }) : serving.app.fetch(request)) }) as Server;
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FlowError('E_SOCKET', `cannot serve the web UI on ${listen.host}:${listen.port}: ${errnoWords(error)}`, {
      cause: error,
      hint: code === 'EADDRINUSE' ? 'another process listens there: pick another port with --listen' : 'check the address with --listen',
    });
  }
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? { host: listen.host, port: address.port } : listen;
  serving.app = makeApp(bound);
  return {
    url: urlOf(bound),
    listen: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
