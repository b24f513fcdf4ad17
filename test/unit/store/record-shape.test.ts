import { describe, expect, test } from 'vitest';
import type { TaskStatus, Trigger } from '../../../src/engine/events.js';
import { check } from '../../../src/store/check.js';
import { runRecordShape } from '../../../src/store/shapes.js';

// Every state a task can end in, every trigger and every hook event must read back: a record the shape check refused would be
// set aside as corrupt.
const STATUSES: Record<TaskStatus, true> = {
  pending: true,
  running: true,
  success: true,
  failed: true,
  upstream_failed: true,
  skipped: true,
  cancelled: true,
  interrupted: true,
};

const TRIGGERS: Record<Trigger, true> = { manual: true, schedule: true, catchup: true, backfill: true, command: true, api: true };

describe('the run record shape', () => {
  test.each(Object.keys(TRIGGERS))('reads back a run triggered by %s', (trigger) => {
    const record = {
      id: '20261201T010000.000Z-abc123',
      pipeline: 'p',
      file: '/p.flow.yaml',
      trigger,
      logical_date: '2026-12-01T01:00:00.000+00:00',
      status: 'running',
      started_at: '2026-12-01T01:00:00.000+00:00',
      ended_at: null,
      duration_ms: null,
      host: 'h',
      pid: 1,
      pid_start: null,
      boot_id: null,
      hooks: [],
      tasks: [],
    };
    expect(check(runRecordShape, record).success).toBe(true);
  });

  test('reads back skipped tasks, outputs, branch choices, SLA misses and their hook', () => {
    const record = {
      id: '20261201T010000.000Z-abc123',
      pipeline: 'p',
      file: '/p.flow.yaml',
      trigger: 'schedule',
      logical_date: '2026-12-01T01:00:00.000+00:00',
      status: 'success',
      started_at: '2026-12-01T01:00:00.000+00:00',
      ended_at: '2026-12-01T01:00:01.000+00:00',
      duration_ms: 1000,
      host: 'h',
      pid: 1,
      pid_start: null,
      boot_id: null,
      note: 'every task was skipped',
      sla_misses: [{ deadline: 'finish_within', task: null, due: '2026-12-01T01:00:00.500+00:00', seen_at: '2026-12-01T01:00:00.600+00:00' }],
      hooks: [{ event: 'on_sla_miss', task: null, command: 'true', source: 'pipeline', started_at: '2026-12-01T01:00:00.600+00:00', duration_ms: 1, exit_code: 0, signal: null, timed_out: false, error: null, log: '' }],
      tasks: Object.keys(STATUSES).map((status) => ({ id: status, status, reason: null, attempts: [], outputs: { k: 'v' }, branch: ['x'] })),
    };
    const parsed = check(runRecordShape, record);
    expect(parsed.success, parsed.success ? '' : parsed.problem).toBe(true);
  });
});
