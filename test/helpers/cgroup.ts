/** A cgroup v2 directory for tests: made, and removed after the file's tests (undefined where the machine gives none). */
import { mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';

function makeTestCgroup(): string | undefined {
  try {
    for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
      const [left, right] = line.split(' - ');
      const mount = left?.split(' ')[4];
      if (!right?.startsWith('cgroup2 ') || mount === undefined) continue;
      const dir = join(mount, `flow-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
      mkdirSync(dir);
      return dir;
    }
  } catch {
    // no cgroup v2, or not writable here
  }
  return undefined;
}

/** Call at a test file's top level: the directory, or undefined (then the tests that need it skip). */
export function testCgroup(): string | undefined {
  const cgroup = makeTestCgroup();
  afterAll(() => {
    if (cgroup === undefined) return;
    const remove = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) remove(join(dir, entry.name));
      try {
        rmdirSync(dir);
      } catch {
        // still busy: the kernel frees it when empty
      }
    };
    remove(cgroup);
  });
  return cgroup;
}
