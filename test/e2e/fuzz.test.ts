/**
 * 2,000 mutated pipeline files through the built binary: each must validate (exit 0) or be refused as problems at
 * positions (exit 2), never an internal error, and none may take more than 5 s. Most go through `flow validate
 * --json` in batches (one process per batch, the tool's own timing per file); a sample goes through separate
 * processes of `flow validate` and `flow run --dry-run`, as a user would meet them. FLOW_FUZZ_SEED replays a run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture, FLOW_BINARY, type Fixture, type Result } from '../helpers/flow.js';
import { mutants, type Mutant } from '../helpers/pipeline-mutations.js';

const SEED = Number(process.env.FLOW_FUZZ_SEED ?? 20_261_201);
// The single executable runs the same code as the npm build: a quarter of the files check its packaging.
const COUNT = FLOW_BINARY === undefined ? 2000 : 500;
const BATCH = 250;
const SAMPLE_EVERY = 50;
const PER_FILE_MS = 5000;

interface Validated {
  file: string;
  valid: boolean;
  problems: { file: string; line?: number; col?: number; path: string; message: string }[];
  duration_ms: number | null;
  cpu_ms: number | null;
}

function leaks(text: string): boolean {
  return /^\s+at |internal error|This is a bug in flow/m.test(text);
}

function describeMutant(mutant: Mutant, why: string): string {
  return `${mutant.name} (seed ${SEED}): ${why}\n  ${mutant.steps.join('\n  ')}`;
}

/** Each file of a batch alone, to name the ones that broke a batch. */
async function culprits(f: Fixture, batch: Mutant[]): Promise<string[]> {
  const found: string[] = [];
  for (const mutant of batch) {
    const result = await f.flow(['validate', mutant.name], { timeoutMs: 60_000 });
    if ((result.code !== 0 && result.code !== 2) || leaks(result.stdout + result.stderr)) {
      found.push(describeMutant(mutant, `exit ${String(result.code)}: ${(result.stderr || result.stdout).slice(0, 400)}`));
    }
  }
  return found;
}

function checkBatch(result: Result, batch: Mutant[]): string[] {
  const failures: string[] = [];
  const data = JSON.parse(result.stdout) as Validated[];
  expect(data).toHaveLength(batch.length);
  data.forEach((entry, index) => {
    const mutant = batch[index] as Mutant;
    // CPU time, as the tool measured it: what the file costs, which a loaded machine does not inflate.
    if (entry.cpu_ms === null || entry.cpu_ms > PER_FILE_MS) failures.push(describeMutant(mutant, `took ${String(entry.cpu_ms)} ms of CPU`));
    if (entry.valid !== (entry.problems.length === 0)) failures.push(describeMutant(mutant, 'valid disagrees with its problems'));
    for (const problem of entry.problems) {
      if (leaks(problem.message) || problem.message.length > 2000) failures.push(describeMutant(mutant, `problem: ${problem.message.slice(0, 300)}`));
      if (problem.line === undefined || problem.col === undefined) failures.push(describeMutant(mutant, `no position: ${problem.path}: ${problem.message.slice(0, 200)}`));
    }
  });
  return failures;
}

describe(`fuzzed pipeline files (seed ${SEED})`, () => {
  test(`${COUNT} mutants: exit 0 or 2, problems at positions, no stack trace, none over 5 s`, async () => {
    const f = fixture();
    mkdirSync(f.path('pipelines'), { recursive: true });
    const all = [...mutants(SEED, COUNT)];
    const failures: string[] = [];
    for (let start = 0; start < all.length; start += BATCH) {
      const batch = all.slice(start, start + BATCH);
      for (const mutant of batch) writeFileSync(f.path(mutant.name), mutant.bytes);
      const result = await f.flow(['validate', '--json', ...batch.map((mutant) => mutant.name)], { timeoutMs: 240_000 });
      if ((result.code !== 0 && result.code !== 2) || result.stderr !== '' || leaks(result.stdout)) {
        failures.push(...(await culprits(f, batch)));
        if (failures.length === 0) failures.push(`batch from ${start}: exit ${String(result.code)}, stderr ${result.stderr.slice(0, 400)}`);
      } else {
        failures.push(...checkBatch(result, batch));
      }
      // Each batch's files are removed before the next is written: a few of them are a megabyte.
      for (const mutant of batch) rmSync(f.path(mutant.name));
      if (failures.length > 20) break;
    }
    expect(failures).toEqual([]);
  }, 900_000);

  test('a sample, one process each, through validate and run --dry-run', async () => {
    const f = fixture();
    const failures: string[] = [];
    let index = 0;
    for (const mutant of mutants(SEED, COUNT)) {
      if (index++ % SAMPLE_EVERY !== 0) continue;
      writeFileSync(f.path(mutant.name), mutant.bytes);
      const args = index % 2 === 0 ? ['validate', mutant.name] : ['run', mutant.name, '--dry-run'];
      const result = await f.flow(args, { timeoutMs: 60_000 });
      const output = result.stdout + result.stderr;
      if ((result.code !== 0 && result.code !== 2) || leaks(output)) {
        failures.push(describeMutant(mutant, `${args[0] ?? ''}: exit ${String(result.code)}: ${output.slice(0, 400)}`));
      } else if (result.code === 2 && !/^\S+:\d+:\d+: /m.test(output)) {
        failures.push(describeMutant(mutant, `${args[0] ?? ''}: no file:line:col problem: ${output.slice(0, 400)}`));
      }
      rmSync(f.path(mutant.name));
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
