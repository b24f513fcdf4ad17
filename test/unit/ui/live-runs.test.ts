import { describe, expect, test } from 'vitest';
import type { ApiEvent } from '../../../src/api/event-hub.js';
import type { RunRecord } from '../../../src/store/record.js';
import { LiveRuns } from '../../../src/ui/run/live-runs.js';

const at = (s: number): string => new Date(Date.parse('2026-11-20T10:00:00Z') + s * 1000).toISOString();
const event = (kind: ApiEvent['kind'], s: number, extra: Record<string, unknown> = {}): ApiEvent => ({ kind, run_id: 'r1', pipeline: 'p', at: at(s), ...extra });

function record(): RunRecord {
  return { id: 'r1', pipeline: 'p', file: '/p', trigger: 'api', logical_date: at(0), status: 'running', started_at: at(0), ended_at: null, duration_ms: null, host: 'h', pid: 1, pid_start: null, boot_id: null, hooks: [], tasks: [{ id: 'a', status: 'pending', reason: null, attempts: [] }, { id: 'b', status: 'pending', reason: null, attempts: [] }] };
}

describe('runs in flight, from their events', () => {
  test('a record that lags its events shows what the events said; one that caught up is unchanged', () => {
    const live = new LiveRuns();
    live.note(event('run-started', 0, { tasks: ['a', 'b'], retry_of: null }));
    live.note(event('task-started', 1, { task: 'a', attempt: 1, log: '/logs/a.1.log' }));
    live.note(event('attempt-finished', 2, { task: 'a', attempt: 1, started_at: at(1), exit_code: 3, signal: null, timed_out: false, error: 'exit code 3' }));
    live.note(event('task-finished', 2, { task: 'a', status: 'failed', reason: 'exit code 3' }));
    live.note(event('task-finished', 2, { task: 'b', status: 'upstream_failed', reason: 'upstream failed' }));
    live.note(event('run-finished', 2, { status: 'failed' }));
    const shown = live.overlay(record());
    expect(shown.status).toBe('failed');
    expect(shown.tasks.map((task) => task.status)).toEqual(['failed', 'upstream_failed']);
    expect(shown.tasks[0]?.attempts).toMatchObject([{ attempt: 1, log: '/logs/a.1.log', exit_code: 3, error: 'exit code 3', ended_at: at(2) }]);
    // Applied again over its own result: nothing changes.
    expect(live.overlay(shown)).toEqual(shown);
    // Another run: the same object back.
    const other = { ...record(), id: 'r2' };
    expect(live.overlay(other)).toBe(other);
  });

  test('a retry sets the tasks it runs again back to pending until their events come', () => {
    const live = new LiveRuns();
    const ended = { ...record(), status: 'failed' as const, ended_at: at(2), duration_ms: 2000 };
    ended.tasks[0] = { id: 'a', status: 'failed', reason: 'exit code 3', attempts: [{ attempt: 1, started_at: at(1), ended_at: at(2), exit_code: 3, signal: null, timed_out: false, log: '/l', pid: null, pid_start: null, error: 'exit code 3' }] };
    live.note(event('run-started', 10, { tasks: ['a', 'b'], retry_of: ['a', 'b'] }));
    expect(live.overlay(ended)).toMatchObject({ status: 'running', ended_at: null, tasks: [{ status: 'pending' }, { status: 'pending' }] });
    live.note(event('task-started', 11, { task: 'a', attempt: 2, log: '/l2' }));
    expect(live.overlay(ended).tasks[0]?.attempts.map((attempt) => attempt.attempt)).toEqual([1, 2]);
    expect(live.overlay(ended).tasks[0]?.status).toBe('running');
  });
});
