/**
 * The one wrapper every child process goes through. The child gets its own session and process group (setsid), so a
 * timeout or a stop ends the whole tree: SIGTERM to the group, SIGKILL after the grace period. Output goes straight
 * to a file descriptor (the attempt's log): no pipe for a grandchild to hold open, nothing buffered in this process.
 */
import { execa, type Options } from 'execa';
import { CHILD_OPTIONS, resultOf } from './child.js';
import type { AttemptOutcome } from './events.js';
import { ensureWatchdog, runnerToken } from './watchdog.js';
import { asUser, type RunAs } from './run-as.js';
import { setLongTimeout, type LongTimer } from '../util/long-timer.js';
import { groupHasLiveMembers } from '../util/proc.js';
import { MaskedOutput } from './masked-output.js';
import { signalGroup } from './signal-group.js';
import { delegatedCgroup, inCgroup, killCgroup, newAttemptCgroup, populated, removeCgroup, signalCgroup } from './cgroup.js';
import type { PlainCommand } from './plain-command.js';
import { spawnerFor, type Started } from './spawner/client.js';
import { accessSync, constants } from 'node:fs';
import { isAbsolute } from 'node:path';

export interface SpawnOptions {
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  /** stdout, and stderr too unless `errorFd` is given: interleaved in the order they were written. */
  outputFd: number;
  errorFd?: number;
  /** Default: no input (/dev/null). */
  stdin?: 'ignore' | 'inherit' | { text: string };
  timeoutMs?: number | undefined;
  killGraceMs: number;
  /** Aborting ends the group as a timeout does, but the outcome is `cancelled`. */
  signal?: AbortSignal | undefined;
  /** Aborting sends SIGKILL to the group at once (a second Ctrl-C). */
  force?: AbortSignal | undefined;
  onSpawn?: (pid: number) => void;
  /** Start the process as this user (`user:`). */
  runAs?: RunAs | undefined;
  /** Values to mask in the output: then output passes through flow (masked-output.ts) instead of going straight to the fds. */
  secrets?: readonly string[] | undefined;
  /**
   * The same command without its shell (plain-command.ts). Taken unless the attempt needs a shell anyway (to enter
   * its cgroup, or to start as another user through setpriv); if it cannot start, `file args` (the shell) runs.
   */
  direct?: PlainCommand | undefined;
}

const GROUP_POLL_MS = 25;

export async function spawnInGroup(options: SpawnOptions): Promise<AttemptOutcome> {
  const outcome: AttemptOutcome = { exitCode: undefined, signal: undefined, timedOut: false, cancelled: false, error: undefined };
  // execa's types list only fds 3–9, but any open descriptor is passed to the child as is.
  const outputFd = options.outputFd as 3;
  const errorFd = (options.errorFd ?? options.outputFd) as 3;
  const stdin = typeof options.stdin === 'object' ? { input: options.stdin.text } : { stdin: options.stdin === 'inherit' ? ('inherit' as const) : ('ignore' as const) };
  ensureWatchdog();
  const masking = options.secrets !== undefined && options.secrets.length > 0;
  const shared = {
    cwd: options.cwd,
    ...CHILD_OPTIONS,
    ...stdin,
    stdout: masking ? 'pipe' : outputFd,
    stderr: masking ? 'pipe' : errorFd,
  } satisfies Options;
  // Output straight to files and no input: the spawner may start it (spawner/client.ts), away from this process's memory.
  const spawner = masking || typeof options.stdin === 'object' || options.stdin === 'inherit' ? undefined : spawnerFor(outputFd, errorFd);
  const launch = async (file: string, args: readonly string[], extra: { env: Record<string, string>; argv0?: string; uid?: number; gid?: number }): Promise<Started> => {
    const asked = await spawner?.({ file, args, cwd: options.cwd, ...extra });
    if (asked !== undefined) return asked;
    const child = execa(file, args, { ...shared, ...extra });
    if (masking) {
      const output = new MaskedOutput([[child.stdout, outputFd], [child.stderr, errorFd]], options.secrets ?? []);
      child.once('exit', () => void output.settle());
    }
    return { pid: child.pid, result: child.then(resultOf) };
  };
  let cgroup: string | undefined;
  let child: Started | undefined;
  const direct = options.runAs === undefined && delegatedCgroup() === null ? options.direct : undefined;
  if (direct !== undefined) {
    child = await launch(direct.file, direct.args, { argv0: direct.argv0, env: { ...direct.env, FLOW_RUNNER: runnerToken() } });
    // It could not start (a program that went away since it was looked up, a script that only a shell runs):
    // nothing ran, so the shell may try, and say what is wrong in its own words.
    if (child.pid === undefined) child = undefined;
  }
  if (child === undefined) {
    const asked = asUser(options.runAs, options.file, options.args);
    cgroup = attemptCgroup(asked);
    const command = cgroup === undefined ? asked : { ...asked, ...inCgroup(cgroup, asked.file, asked.args) };
    child = await launch(command.file, command.args, {
      ...(command.uid === undefined ? {} : { uid: command.uid, gid: command.gid }),
      env: { ...options.env, FLOW_RUNNER: runnerToken() },
    });
  }
  const pid = child.pid;
  if (pid !== undefined) options.onSpawn?.(pid);

  let graceEnds: number | undefined;
  let killTimer: LongTimer | undefined;
  const end = (why: 'timeout' | 'cancel'): void => {
    if (graceEnds !== undefined || pid === undefined) return;
    if (why === 'timeout') {
      outcome.timedOut = true;
      outcome.timedOutAt = new Date();
    } else outcome.cancelled = true;
    graceEnds = Date.now() + options.killGraceMs;
    endAll(pid, cgroup, 'SIGTERM');
    killTimer = setLongTimeout(() => endAll(pid, cgroup, 'SIGKILL'), options.killGraceMs);
  };
  const timeout = options.timeoutMs === undefined ? undefined : setLongTimeout(() => end('timeout'), options.timeoutMs);
  const onAbort = (): void => end('cancel');
  const onForce = (): void => {
    if (pid !== undefined) endAll(pid, cgroup, 'SIGKILL');
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  options.force?.addEventListener('abort', onForce, { once: true });

  try {
    const result = await child.result;
    if (result.error !== undefined) outcome.error = spawnError(result.error, options);
    outcome.exitCode = result.exitCode;
    outcome.signal = result.signal;
    // A stopped task's group may outlive its leader (a grandchild that ignores SIGTERM): wait out the grace, then kill.
    if (graceEnds !== undefined && pid !== undefined) await reapGroup(pid, cgroup, graceEnds, options.force);
    // A timed-out attempt ended at its timeout; the time its group took to go after SIGTERM is told apart.
    if (outcome.timedOutAt !== undefined) outcome.killGraceMs = Date.now() - outcome.timedOutAt.getTime();
  } finally {
    timeout?.clear();
    killTimer?.clear();
    options.signal?.removeEventListener('abort', onAbort);
    options.force?.removeEventListener('abort', onForce);
    // An empty cgroup goes now; one that background processes still hold goes when its runner ends.
    if (cgroup !== undefined) removeCgroup(cgroup);
  }
  return outcome;
}

/**
 * The attempt's own cgroup where flow has one (cgroup.ts), for a program named by its absolute path that can run:
 * a missing program must still fail to spawn, as it does without the cgroup, not exit 127 from the shell that
 * would have moved it. A plain uid switch starts the shell as that user, who may not write into flow's cgroup.
 */
function attemptCgroup(command: { file: string; uid?: number | undefined }): string | undefined {
  if (delegatedCgroup() === null || command.uid !== undefined || !isAbsolute(command.file)) return undefined;
  try {
    accessSync(command.file, constants.X_OK);
  } catch {
    return undefined;
  }
  return newAttemptCgroup();
}

/** SIGTERM or SIGKILL to the attempt's process group and, where it has one, to everything in its cgroup. */
function endAll(pgid: number, cgroup: string | undefined, signal: 'SIGTERM' | 'SIGKILL'): void {
  signalGroup(pgid, signal);
  if (cgroup === undefined) return;
  if (signal === 'SIGKILL') killCgroup(cgroup);
  else signalCgroup(cgroup, signal);
}

async function reapGroup(pgid: number, cgroup: string | undefined, deadline: number, force: AbortSignal | undefined): Promise<void> {
  while (groupHasLiveMembers(pgid) || (cgroup !== undefined && populated(cgroup))) {
    if (Date.now() >= deadline || force?.aborted) {
      endAll(pgid, cgroup, 'SIGKILL');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
  }
}

function spawnError(message: string, options: SpawnOptions): string {
  if (/ENOENT/.test(message)) return `${options.file} not found`;
  if (/EACCES/.test(message)) return `${options.file} is not executable`;
  return message.split('\n')[0] ?? message;
}
