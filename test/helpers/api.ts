/** Talking to a daemon's API socket in tests, as any client would: HTTP over FLOW_HOME/daemon.sock, and raw bytes. */
import { request } from 'node:http';
import { createConnection } from 'node:net';
import type { Fixture, Running } from './flow.js';

export interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
}

export function socketOf(f: Fixture): string {
  return f.path('.flow-home', 'daemon.sock');
}

export function api(f: Fixture, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socketOf(f), method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends bytes as they are and resolves with whatever comes back before the daemon closes (or 2 s pass). */
export function raw(f: Fixture, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection(socketOf(f));
    let text = '';
    const timer = setTimeout(() => socket.destroy(), 2_000);
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    socket.end(bytes);
  });
}

/** Waits until the daemon serves its API. */
export async function apiReady(daemon: Running): Promise<void> {
  await daemon.waitFor('the API socket', (out) => /API on \S+daemon\.sock/.test(out.stdout));
}
