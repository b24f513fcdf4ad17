/**
 * flow's spawner: a small process that starts tasks for flow. Node forks its whole process to start a child, and
 * the fork costs in proportion to the parent's memory, so a daemon holding thousands of runs paid many times what
 * a bare Node process pays for each start. This process holds nothing but execa and the requests in flight; flow
 * sends it each command (protocol.ts) and keeps everything else: the process group is the child's own, so flow
 * signals, times out and reaps it as before, and the watchdog finds it by the same FLOW_RUNNER token.
 *
 * It lives as long as flow's end of its input is open (then until the children it started have ended), ignores the
 * terminal's signals (flow decides what ends a task), and writes its answers on its output. Started by flow only (client.ts); never by a user.
 */
import { execa } from 'execa';
import { closeSync, constants, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CHILD_OPTIONS, resultOf } from '../child.js';
import { READY, type SpawnReply, type SpawnRequest } from './protocol.js';

export function serveSpawner(owner: number): void {
  process.title = 'flow-spawner';
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const) process.on(signal, () => undefined);
  // flow is gone: nobody reads the answers. The spawner ends once its input has closed and its children have ended.
  process.stdout.on('error', () => undefined);
  const reply = (message: SpawnReply): void => void process.stdout.write(`${JSON.stringify(message)}\n`);
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => start(JSON.parse(line) as SpawnRequest, owner, reply));
  process.stdout.write(`${READY}\n`);
}

function start(request: SpawnRequest, owner: number, reply: (message: SpawnReply) => void): void {
  let output: number | undefined;
  let error: number | undefined;
  try {
    output = openOwners(owner, request.outputFd);
    error = request.errorFd === request.outputFd ? output : openOwners(owner, request.errorFd);
  } catch (failure) {
    for (const fd of new Set([output, error])) if (fd !== undefined) closeSync(fd);
    reply({ id: request.id, refused: `could not open flow's descriptor: ${(failure as Error).message}` });
    return;
  }
  const child = execa(request.file, request.args, {
    cwd: request.cwd,
    env: environment(request.env),
    ...CHILD_OPTIONS,
    ...(request.argv0 === undefined ? {} : { argv0: request.argv0 }),
    ...(request.uid === undefined ? {} : { uid: request.uid, gid: request.gid }),
    stdin: 'ignore',
    // execa's types list only fds 3–9, but any open descriptor is passed to the child as is.
    stdout: output as 3,
    stderr: error as 3,
  });
  for (const fd of new Set([output, error])) closeSync(fd);
  const pid = child.pid;
  if (pid !== undefined) reply({ id: request.id, started: true, pid });
  void child.then((result) => {
    const { exitCode, signal, error } = resultOf(result);
    // Nothing started: one answer, with why.
    if (pid === undefined) reply({ id: request.id, started: true, pid: undefined, error });
    else reply({ id: request.id, ended: true, exitCode, signal, error });
  });
}

/** The spawner's environment as it was given (flow's), with a request's differences. */
const base: Record<string, string | undefined> = { ...process.env };

function environment({ set, unset }: SpawnRequest['env']): Record<string, string> {
  const env = { ...base, ...set };
  for (const name of unset) delete env[name];
  return env as Record<string, string>;
}

/** The file behind one of flow's descriptors, opened again for appending (the same file, never another one). */
function openOwners(owner: number, fd: number): number {
  return openSync(`/proc/${owner}/fd/${fd}`, constants.O_WRONLY | constants.O_APPEND);
}
