// The floor under any Node.js program that starts processes: a bare node script that only spawns `true` through
// execa, N times, K at a time (output to a log file each, as flow's tasks have), with nothing else loaded. The spawn
// section runs it beside flow and make, so flow's ratio to make can be read against what Node itself costs.
// `node bench/spawn-floor.mjs <n> <at-once> <dir>`
import { execa } from 'execa';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

const [n, atOnce, dir] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] ?? '.'];
mkdirSync(dir, { recursive: true });
let next = 0;
async function lane() {
  while (next < n) {
    const fd = openSync(join(dir, `t${next++}.log`), 'a');
    await execa('true', [], { stdin: 'ignore', stdout: fd, stderr: fd, detached: true, reject: false, cleanup: false, buffer: false });
    closeSync(fd);
  }
}
await Promise.all(Array.from({ length: atOnce }, lane));
