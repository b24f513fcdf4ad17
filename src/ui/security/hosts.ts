/**
 * Which `Host` a request may name (a DNS-rebinding page reaches us under its own name: it is refused) and which
 * `Origin` a state-changing request may come from (only our own pages). Hosts allowed: the listen address and port;
 * on loopback also `localhost`/`127.0.0.1`/`[::1]`; on a wildcard address each of this machine's interface addresses;
 * and every name configured (`--host-name`, `ui.hosts`), with any port (a proxy in front decides it).
 */
import { networkInterfaces } from 'node:os';

export interface Listen {
  host: string;
  port: number;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** `name:port`, `[v6]:port` or a bare name, as a Host header or URL authority carries it. */
export function splitHost(value: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (match === null) return undefined;
  const name = (match[1] as string).replace(/^\[|\]$/g, '').toLowerCase();
  return { name, port: match[2] === undefined ? undefined : Number(match[2]) };
}

export class HostPolicy {
  private readonly addresses: Set<string>;
  private readonly names: Set<string>;

  constructor(
    private readonly listen: Listen,
    names: readonly string[] = [],
  ) {
    const own = [listen.host.toLowerCase()];
    if (isLoopback(listen.host)) own.push(...LOOPBACK_NAMES);
    if (isWildcard(listen.host)) {
      own.push(...LOOPBACK_NAMES);
      for (const list of Object.values(networkInterfaces())) for (const address of list ?? []) own.push(address.address.toLowerCase());
    }
    this.addresses = new Set(own);
    this.names = new Set(names.map((name) => name.toLowerCase()));
  }

  allows(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined) return false;
    const host = splitHost(hostHeader);
    if (host === undefined) return false;
    if (this.names.has(host.name)) return true;
    // A browser leaves the port out only for the scheme's default one.
    const port = host.port ?? 80;
    return port === this.listen.port && this.addresses.has(host.name);
  }

  /** A state-changing request's Origin must be one of our own pages: same scheme-less authority as an allowed Host. */
  allowsOrigin(origin: string, hostHeader: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return hostHeader !== undefined && url.host.toLowerCase() === hostHeader.toLowerCase() && this.allows(url.host);
  }
}
