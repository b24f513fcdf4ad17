/**
 * The UI's secret: FLOW_HOME/ui-token, made once (0600, never through a link) and kept, so a bookmark of the login URL
 * keeps working across restarts. Deleting the file and restarting rotates it, which also ends every session
 * (sessions are signed with it). It is printed only when made: a daemon under systemd would otherwise write it into
 * the journal at every start.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../../errors.js';
import { errnoWords } from '../../util/errno.js';
import { ensurePrivateHome, openPrivateSync } from '../../util/private-fs.js';

export const TOKEN_FILE = 'ui-token';

/** 32 random bytes in base64url: 43 characters, nothing to escape in a URL. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export function tokenPath(home: string): string {
  return join(home, TOKEN_FILE);
}

export function readOrCreateToken(home: string): { token: string; created: boolean } {
  const path = tokenPath(home);
  const existing = readToken(path);
  if (existing !== undefined) return { token: existing, created: false };
  ensurePrivateHome(home);
  const token = randomBytes(32).toString('base64url');
  let fd: number;
  try {
    fd = openPrivateSync(path, 'wx');
  } catch (error) {
    // Another process made it between our read and our create: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = readToken(path);
      if (theirs !== undefined) return { token: theirs, created: false };
    }
    throw new FlowError('E_HOME', `cannot write the UI token ${path}: ${errnoWords(error)}`, { cause: error });
  }
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  return { token, created: true };
}

function readToken(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FlowError('E_HOME', `cannot read the UI token ${path}: ${errnoWords(error)}`, { cause: error });
  }
  const token = text.trim();
  if (!TOKEN_PATTERN.test(token)) {
    throw new FlowError('E_HOME', `${path} does not hold a UI token`, { hint: `remove it; the next start makes a new one` });
  }
  return token;
}

/** Compares in constant time, so response times do not tell how much of a guess was right. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
