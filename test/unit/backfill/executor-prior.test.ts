import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { FlowEvent } from '../../../src/engine/events.js';
import { executePlan } from '../../../src/engine/executor.js';
import { planRun } from '../../../src/engine/plan.js';
import { normalizePipeline } from '../../../src/pipeline/normalize.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-prior-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('executePlan from prior state', () => {
  test('only the tasks to rerun run, attempts numbered after the earlier ones, with a fresh budget of retries', async () => {
    const calls: string[] = [];
    let loadCalls = 0;
    const pipeline = normalizePipeline(
      {
        tasks: {
          extract: { run: () => void calls.push('extract') },
          load: {
            depends_on: ['extract'],
            retries: 1,
            retry_delay: '1ms',
            run: (ctx) => {
              calls.push(`load ${ctx.attempt}`);
              loadCalls += 1;
              if (loadCalls === 1) throw new Error('still broken');
            },
          },
          publish: { depends_on: ['load'], run: (ctx) => void calls.push(`publish ${ctx.attempt}`) },
          side: { run: () => void calls.push('side') },
        },
      },
      '/srv/etl.flow.ts',
      'ts',
    );
    const events: FlowEvent[] = [];
    const result = await executePlan({
      pipeline,
      plan: planRun(pipeline),
      run: { runId: 'r', trigger: 'manual', logicalDate: '2026-03-28T03:00:00+01:00', ds: '2026-03-28' },
      logDir: dir,
      baseEnv: {},
      emit: (event) => events.push(event),
      prior: {
        tasks: {
          extract: { status: 'success', attempts: 1 },
          load: { status: 'failed', attempts: 2 },
          publish: { status: 'upstream_failed', attempts: 0 },
          side: { status: 'failed', attempts: 1 },
        },
        rerun: ['load', 'publish'],
      },
    });
    expect(calls).toEqual(['load 3', 'load 4', 'publish 1']);
    // side was not rerun and still failed: the run's status counts it.
    expect(result.status).toBe('failed');
    expect(result.failed).toEqual(['side']);
    expect(result.tasks).toEqual({
      extract: { status: 'success', attempts: 1 },
      load: { status: 'success', attempts: 4 },
      publish: { status: 'success', attempts: 1 },
      side: { status: 'failed', attempts: 1 },
    });
    const started = events.flatMap((event) => (event.kind === 'task-started' ? [`${event.task}.${event.attempt}`] : []));
    expect(started).toEqual(['load.3', 'load.4', 'publish.1']);
  });
});
