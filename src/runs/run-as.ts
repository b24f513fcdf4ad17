/**
 * `user:` in a pipeline: its tasks run as that user (uid, gid, supplementary groups, HOME), which only root can
 * do. As that very user, nothing needs to change; as anyone else, the run is refused with one clear line.
 */
import { access, constants } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { RunAs } from '../engine/run-as.js';
import { FlowError } from '../errors.js';
import type { Pipeline } from '../pipeline/types.js';
import { lookupAccount, type LookupEnv } from '../util/accounts.js';

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'];

export async function resolveRunAs(pipeline: Pipeline, env: LookupEnv): Promise<RunAs | undefined> {
  const name = pipeline.user;
  if (name === undefined) return undefined;
  const account = await lookupAccount(name, env);
  if (account === undefined) {
    throw new FlowError('E_USAGE', `pipeline "${pipeline.name}" runs as user "${name}" (user: in ${pipeline.file}), but there is no such user`);
  }
  const uid = process.getuid?.();
  if (uid === account.uid) return undefined;
  if (uid !== 0) {
    throw new FlowError('E_USAGE', `pipeline "${pipeline.name}" runs as user "${name}" (user: in ${pipeline.file}), but flow runs as "${userInfo().username}"; only root can run tasks as another user`, {
      hint: 'run `flow daemon` as root, or remove user: from the pipeline',
    });
  }
  if (pipeline.tasks.some((task) => task.kind === 'function')) {
    throw new FlowError('E_USAGE', `pipeline "${pipeline.name}" has user: and function tasks; function tasks run inside flow and cannot change user`);
  }
  return { name, uid: account.uid, gid: account.gid, home: account.home, setpriv: await firstExecutable(SETPRIV) };
}

async function firstExecutable(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // try the next
    }
  }
  return undefined;
}
