/**
 * Tasks die with their runner. Every task and hook a flow process starts carries FLOW_RUNNER=<this process's pid
 * and start time> in its environment, and the first spawn of a process starts one small watchdog: a shell in its
 * own session, holding a pipe from the runner that nobody writes to. When the pipe reaches end of file — the runner
 * exited, however it died, even by kill -9 — the watchdog finds every process whose environment carries the token
 * (/proc/PID/environ), sends SIGTERM to their process groups, then SIGKILL a moment later. Nothing is sent to it
 * per task, so it costs nothing while tasks come and go. It ignores the terminal's signals. Where attempts run in
 * cgroups of their own (cgroup.ts), it first ends them all with cgroup.kill: that also reaches what left the process
 * group and cleared its environment.
 */
import { execa, type ResultPromise } from 'execa';
import { selfId } from '../util/proc.js';
import { runnerCgroupDir } from './cgroup.js';

const SCRIPT = `
trap '' INT TERM HUP QUIT
token=$1
cgroups=$2
while read -r _; do :; done
if [ -n "$cgroups" ] && [ -d "$cgroups" ]; then
  for d in "$cgroups"/*/; do echo 1 > "$d/cgroup.kill"; done 2>/dev/null
fi
groups=$(grep -lzx "FLOW_RUNNER=$token" /proc/[0-9]*/environ 2>/dev/null | while IFS=/ read -r _ _ pid _; do
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
  set -- \${stat##*) }
  echo "$3"
done | sort -u)
if [ -n "$groups" ]; then
  for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
  sleep 0.3 2>/dev/null || sleep 1
  for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
fi
if [ -n "$cgroups" ] && [ -d "$cgroups" ]; then
  sleep 0.3 2>/dev/null || sleep 1
  rmdir "$cgroups"/*/ "$cgroups" 2>/dev/null
fi
exit 0
`;

let watchdog: ResultPromise | undefined;
let broken = false;

/** The value of FLOW_RUNNER in every child's environment: this process, unmistakably. */
export function runnerToken(): string {
  const self = selfId();
  return `${self.pid}.${self.start ?? 0}`;
}

/** Starts the watchdog if it is not running yet; call it before spawning a task, so no task is ever unwatched. */
export function ensureWatchdog(): void {
  if (watchdog !== undefined || broken) return;
  try {
    const child = execa('/bin/sh', ['-c', SCRIPT, 'flow-watchdog', runnerToken(), runnerCgroupDir() ?? ''], {
      stdin: 'pipe',
      stdout: 'ignore',
      stderr: 'ignore',
      detached: true,
      reject: false,
      cleanup: false,
      buffer: false,
    });
    child.catch(() => undefined);
    child.stdin.on('error', () => undefined);
    // Neither the watchdog nor its pipe may keep the runner alive.
    child.unref();
    (child.stdin as unknown as { _handle?: { unref?: () => void } })._handle?.unref?.();
    watchdog = child;
  } catch {
    broken = true;
  }
}
