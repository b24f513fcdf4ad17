/**
 * Users as the C library finds them with getpwnam: `getent passwd NAME` asks NSS (files, LDAP, sssd); where there is
 * no getent, /etc/passwd is read.
 */
import { readFile } from 'node:fs/promises';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** pw_dir; empty when unknown. */
  home: string;
  shell: string;
}

export type LookupEnv = Readonly<Record<string, string | undefined>>;

/** undefined when there is no such user. */
export async function lookupAccount(name: string, env: LookupEnv = process.env): Promise<Account | undefined> {
  if (name === '' || name.startsWith('-')) return undefined;
  // execa when a user is looked up, not at start: the daemon imports this module for `user:` pipelines.
  const { execa } = await import('execa');
  const ran = await execa('getent', ['passwd', name], { env: env as Record<string, string>, extendEnv: false, reject: false, timeout: 30_000, stdin: 'ignore' });
  let entries: string;
  if ((ran.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') entries = await readFile('/etc/passwd', 'utf8').catch(() => '');
  else if (ran.exitCode === 0) entries = ran.stdout;
  else return undefined;
  for (const line of entries.split('\n')) {
    // name:password:uid:gid:gecos:home:shell. getent also takes a uid; getpwnam takes names only.
    const fields = line.split(':');
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    if (fields[0] === name && fields.length >= 7 && Number.isInteger(uid) && Number.isInteger(gid)) {
      return { name, uid, gid, home: fields[5] ?? '', shell: fields[6] ?? '' };
    }
  }
  return undefined;
}
