/**
 * The CLI's side of the daemon's API: JSON requests over `FLOW_HOME/daemon.sock`. A socket that is absent, or that
 * nobody answers on (left by a daemon that died), means no daemon runs; an error the daemon answers with comes back
 * as the same FlowError (code, message, hint) the domain threw inside it.
 */
import { request } from 'node:http';
import { FlowError, type FlowErrorCode } from '../errors.js';
import { API_BASE, checkSocket, socketPath } from './socket.js';

export class NoDaemonError extends FlowError {
  constructor(
    readonly home: string,
    readonly stale: boolean,
  ) {
    super('E_NO_DAEMON', `no daemon runs for FLOW_HOME ${home}${stale ? ' (its socket was left by a daemon that died; the next `flow daemon` removes it)' : ''}`);
    this.name = 'NoDaemonError';
  }
}

export interface ApiErrorBody {
  error: { code: string; message: string; hint?: string | null };
}

export class ApiClient {
  readonly socket: string;

  constructor(readonly home: string) {
    this.socket = socketPath(home);
  }

  /** Whether a daemon answers; throws for a socket we must not talk to. */
  async available(): Promise<boolean> {
    try {
      await this.call('GET', '/health');
      return true;
    } catch (error) {
      if (error instanceof NoDaemonError) return false;
      throw error;
    }
  }

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    if (checkSocket(this.socket) === 'absent') throw new NoDaemonError(this.home, false);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socket,
          path: `${API_BASE}${path}`,
          method,
          headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('error', reject);
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch {
              reject(new FlowError('E_SOCKET', `the daemon answered ${method} ${path} with something that is not JSON (HTTP ${res.statusCode ?? '?'})`));
              return;
            }
            if ((res.statusCode ?? 500) >= 400) reject(toError(parsed as ApiErrorBody, res.statusCode ?? 500));
            else resolve(parsed as T);
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') reject(new NoDaemonError(this.home, error.code === 'ECONNREFUSED'));
        else reject(new FlowError('E_SOCKET', `cannot talk to the daemon at ${this.socket}: ${error.message}`, { cause: error }));
      });
      req.end(payload);
    });
  }
}

function toError(body: ApiErrorBody, status: number): FlowError {
  const error = body?.error;
  if (error === undefined || typeof error.message !== 'string') return new FlowError('E_SOCKET', `the daemon answered HTTP ${status}`);
  return new FlowError(error.code as FlowErrorCode, error.message, error.hint === null || error.hint === undefined ? {} : { hint: error.hint });
}
