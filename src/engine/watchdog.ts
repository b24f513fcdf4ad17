/**
 * Tasks die with their runner. The first spawn of a process starts one small watchdog: a shell in its own session
 * that reads `+PGID` and `-PGID` lines from a pipe as task process groups start and end. When the pipe reaches end
 * of file — the runner exited, however it died, even by kill -9 — the watchdog sends SIGTERM to every group still
 * listed, then SIGKILL a moment later. It ignores the terminal's signals, so Ctrl-C reaches the runner alone.
 */
import { execa, type ResultPromise } from 'execa';

const SCRIPT = `
trap '' INT TERM HUP QUIT
groups=' '
while IFS= read -r line; do
  case $line in
    +*) groups="$groups\${line#+} " ;;
    -*) g=\${line#-}; case $groups in *" $g "*) groups="\${groups%% $g *} \${groups#* $g }" ;; esac ;;
  esac
done
[ "$groups" = ' ' ] && exit 0
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
sleep 0.3 2>/dev/null || sleep 1
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
exit 0
`;

let watchdog: ResultPromise | undefined;
let broken = false;

function start(): ResultPromise | undefined {
  if (watchdog !== undefined || broken) return watchdog;
  try {
    const child = execa('/bin/sh', ['-c', SCRIPT], {
      stdin: 'pipe',
      stdout: 'ignore',
      stderr: 'ignore',
      detached: true,
      reject: false,
      cleanup: false,
      buffer: false,
    });
    child.catch(() => undefined);
    child.stdin.on('error', () => {
      broken = true;
    });
    // Neither the watchdog nor its pipe may keep the runner alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    (child.stdin as unknown as { _handle?: { unref?: () => void } })._handle?.unref?.();
    watchdog = child;
  } catch {
    broken = true;
  }
  return watchdog;
}

/**
 * Starts the watchdog if it is not running yet. Call it before spawning a task: spawning the watchdog between the
 * task's spawn and telling it the group would leave a window in which a killed runner leaves the task unwatched.
 */
export function ensureWatchdog(): void {
  void start();
}

export function watchGroup(pgid: number): void {
  start()?.stdin?.write(`+${pgid}\n`);
}

export function unwatchGroup(pgid: number): void {
  watchdog?.stdin?.write(`-${pgid}\n`);
}
