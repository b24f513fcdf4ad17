import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { jobOf, requestOf, runsRemotely } from '../../../src/cluster/job-attempt.js';
import { readTaskJob } from '../../../src/cluster/protocol.js';
import { loadPipeline, loadPipelineFile } from '../../../src/pipeline/load.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('pool:', () => {
  test("a task's own pool, else defaults', else the pipeline's, else default", async () => {
    const pipeline = await loadPipeline(file('a.flow.yaml', 'pool: etl\ntasks:\n  a: { run: "true" }\n  b: { run: "true", pool: gpu }\n'));
    expect(pipeline.tasks.map((task) => task.pool)).toEqual(['etl', 'gpu']);
    const withDefaults = await loadPipeline(file('b.flow.yaml', 'pool: etl\ndefaults: { pool: db }\ntasks:\n  a: { run: "true" }\n'));
    expect(withDefaults.tasks[0]?.pool).toBe('db');
    expect((await loadPipeline(file('c.flow.yaml', 'tasks:\n  a: { run: "true" }\n'))).tasks[0]?.pool).toBe('default');
  });

  test('a bad pool name is a problem at its position', async () => {
    const loaded = await loadPipelineFile(file('d.flow.yaml', 'tasks:\n  a: { run: "true", pool: "g:pu" }\n'));
    expect(loaded.problems.map((p) => `${p.line}:${p.col}: ${p.path}: ${p.message}`)).toEqual([expect.stringMatching(/^2:27: tasks\.a\.pool: must use letters/)]);
  });
});

describe('an attempt as a job', () => {
  test('round trip: what the worker rebuilds is what the scheduler had, for a shell task', async () => {
    const pipeline = await loadPipeline(file('e.flow.yaml', 'env: { A: "1" }\nsecrets: [S]\ntasks:\n  a: { run: "echo $A", timeout: 5s, env: { B: "2" }, pool: gpu }\n'));
    const task = pipeline.tasks[0];
    if (task === undefined) throw new Error('no task');
    expect(runsRemotely(task)).toBe(true);
    const request = { pipeline, task, run: { runId: 'r', trigger: 'manual' as const, logicalDate: 'x', ds: 'y' }, attempt: 2, logFile: '/l', baseEnv: {}, signal: undefined, force: undefined, onSpawn: () => undefined, inputs: { FLOW_OUT_X_Y: 'z' } };
    const job = readTaskJob(JSON.parse(JSON.stringify(jobOf(request))), 'id');
    const rebuilt = requestOf(job, { logFile: '/w', baseEnv: { HOME: '/h' }, signal: new AbortController().signal, force: new AbortController().signal });
    expect(rebuilt.task).toMatchObject({ command: 'echo $A', timeoutMs: 5000, env: { B: '2' }, pool: 'gpu', cwd: task.cwd, shell: '/bin/sh', skipExitCode: 99 });
    expect(rebuilt.pipeline).toMatchObject({ name: 'e', env: { A: '1' }, secrets: ['S'], inheritEnv: true });
    expect(rebuilt).toMatchObject({ attempt: 2, inputs: { FLOW_OUT_X_Y: 'z' }, logFile: '/w' });
  });
});
