// `npm run bench schedule`: the pure schedule functions, side by side with cron-parser on the same inputs. The test
// suite checks what these functions answer; how fast they answer is measured here, where nothing else runs.
import { build } from 'esbuild';
import { join } from 'node:path';
import { fmt } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;

export async function scheduleBench({ work, line }) {
  const out = join(work, 'schedule-work.mjs');
  await build({ absWorkingDir: root, entryPoints: ['bench/schedule-work.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { measure } = await import(out);
  const f = measure();
  const us = (ms) => `${(ms * 1000).toFixed(1)} µs`;
  line(`schedule next fire time, ${f.calls} calls (10 expressions x 5 zones): flow ${us(f.flowPerCallMs)} a call, cron-parser ${us(f.cronParserPerCallMs)}  -> ${(f.flowPerCallMs / f.cronParserPerCallMs).toFixed(2)}x cron-parser (target < 0.5 ms a call)`);
  line(`schedule a rare schedule (0 0 29 2 */7 from 2033: 2060): ${fmt(f.rareMs)}, * * * * * ${us(f.commonMs)}  -> ${(f.rareMs / f.commonMs).toFixed(0)}x; cron-parser ${fmt(f.rareCronParserMs)} (${f.rareCronParserAnswer}) (target < 50 ms)`);
  line(`schedule a schedule that never fires (* * 31 2 *): ${us(f.neverPerCallMs)} a call  -> ${(f.neverPerCallMs / f.flowPerCallMs).toFixed(2)}x a next fire time (target < 0.1 ms)`);
  line(`schedule fuzz: slowest of ${f.fuzzCalls} calls on 10,000 fuzzed inputs ${fmt(f.fuzzSlowestMs)} (${f.fuzzSlowest.slice(0, 60)}) (target < 100 ms)`);
}
