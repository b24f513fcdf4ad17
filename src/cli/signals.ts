/**
 * Ctrl-C and SIGTERM for commands that run tasks: the first stops the run (start nothing more, end running tasks
 * gracefully), a second one kills running tasks at once. The exit code is 128 + the first signal's number.
 */
import { constants } from 'node:os';

export interface StopSignals {
  signal: AbortSignal;
  force: AbortSignal;
  /** 128 + n of the first signal received, or undefined. */
  exitCode(): number | undefined;
  dispose(): void;
}

export function listenForStop(onFirst?: (name: NodeJS.Signals) => void): StopSignals {
  const stop = new AbortController();
  const force = new AbortController();
  let first: NodeJS.Signals | undefined;
  const handler = (name: NodeJS.Signals): void => {
    if (first === undefined) {
      first = name;
      onFirst?.(name);
      stop.abort();
    } else {
      force.abort();
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const name of signals) process.on(name, handler);
  return {
    signal: stop.signal,
    force: force.signal,
    exitCode: () => (first === undefined ? undefined : 128 + constants.signals[first]),
    dispose: () => {
      for (const name of signals) process.off(name, handler);
    },
  };
}
