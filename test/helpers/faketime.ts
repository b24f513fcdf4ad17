/**
 * A fake wall clock for a daemon under test: libfaketime (Debian's faketime and libfaketime packages) preloaded,
 * reading its offset from a file the test rewrites (`+0`, `+1h`, `-1h`), re-read every second. The monotonic clock
 * stays real, so Node's timers keep their meaning while the wall clock jumps, as on a server whose clock is stepped.
 */
import { existsSync, writeFileSync } from 'node:fs';

const CANDIDATES = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1', '/usr/local/lib/faketime/libfaketime.so.1'];

export function libfaketime(): string {
  const found = CANDIDATES.find((file) => existsSync(file));
  if (found === undefined) throw new Error('libfaketime is not installed: apt-get install -y faketime libfaketime');
  return found;
}

/** The environment for a process whose wall clock is real time plus the offset written in `file`. */
export function fakeClock(file: string, offset = '+0'): { env: Record<string, string>; set(offset: string): void } {
  writeFileSync(file, `${offset}\n`);
  return {
    env: { LD_PRELOAD: libfaketime(), FAKETIME_TIMESTAMP_FILE: file, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' },
    set: (next) => writeFileSync(file, `${next}\n`),
  };
}
