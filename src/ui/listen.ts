/** `--listen` / `ui.listen`: `HOST:PORT`, `[V6]:PORT`, or a bare `PORT` on 127.0.0.1 (the default is 127.0.0.1:8484). */
import { FlowError } from '../errors.js';
import { isLoopback, splitHost, type Listen } from './security/hosts.js';

export const DEFAULT_LISTEN: Listen = { host: '127.0.0.1', port: 8484 };

export function parseListen(text: string, what = '--listen'): Listen {
  const trimmed = text.trim();
  const bare = /^\d{1,5}$/.test(trimmed) ? { name: DEFAULT_LISTEN.host, port: Number(trimmed) } : splitHost(trimmed);
  if (bare === undefined || bare.port === undefined || bare.name === '') {
    throw new FlowError('E_USAGE', `${what}: "${text}" is not an address to listen on (write 127.0.0.1:8484, [::1]:8484 or 8484)`);
  }
  // Port 0: any free port (the address printed says which).
  if (bare.port > 65535) throw new FlowError('E_USAGE', `${what}: port ${bare.port} is outside 0-65535`);
  return { host: bare.name, port: bare.port };
}

/** How a browser reaches a listen address (`[::1]` for IPv6, `127.0.0.1` for a wildcard one). */
export function urlOf(listen: Listen): string {
  const host = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listen.port}`;
}

export function exposed(listen: Listen): boolean {
  return !isLoopback(listen.host);
}
