/**
 * Where the daemon's API listens: `FLOW_HOME/daemon.sock`, mode 0600 in a directory of mode 0700, so the file's
 * permissions are the authentication (as with the Docker or systemd sockets). A client talks only to a socket its
 * own user owns: another user's socket in our FLOW_HOME could be a trap.
 */
import { lstatSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../errors.js';

export const API_BASE = '/api/v1';

export function socketPath(home: string): string {
  return join(home, 'daemon.sock');
}

/** The socket's state as a client sees it before connecting: absent, or ours; another user's or not a socket throws. */
export function checkSocket(path: string, uid: number | undefined = process.getuid?.()): 'absent' | 'ours' {
  let info: Stats;
  try {
    info = lstatSync(path);
  } catch {
    return 'absent';
  }
  if (!info.isSocket()) {
    throw new FlowError('E_SOCKET', `${path} is not a socket`, { hint: 'remove it; the daemon makes its socket when it starts' });
  }
  if (uid !== undefined && info.uid !== uid) {
    throw new FlowError('E_SOCKET', `${path} belongs to ${userName(info.uid)}, not to you: flow does not talk to another user's socket`, {
      hint: 'check who can write to FLOW_HOME, or set FLOW_HOME to a directory of your own',
    });
  }
  return 'ours';
}

/** `uid 1001 (alice)`: the name from /etc/passwd when it is there; this is for a message only. */
function userName(uid: number): string {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.split(':')[2] === String(uid));
    const name = line?.split(':')[0];
    return name === undefined ? `uid ${uid}` : `uid ${uid} (${name})`;
  } catch {
    return `uid ${uid}`;
  }
}
