import { describe, expect, test } from 'vitest';
import { ClockWatch, classifyJump, describeJump, resumeFrom, splitDue } from '../../../src/daemon/clock-jump.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.parse('2026-06-01T12:00:00Z');

describe("cronie's wakeupKind for a clock that jumps (cron.c)", () => {
  test('a normal wake, a late wake of up to 5 minutes: no jump', () => {
    expect(classifyJump(T + 59_000, T, T).kind).toBe('none');
    expect(classifyJump(T + 5 * MIN, T, T).kind).toBe('none');
    expect(classifyJump(T - 500, T, T).kind).toBe('none');
  });

  test('forward: medium up to 3 hours, large beyond', () => {
    expect(classifyJump(T + 5 * MIN + 1, T, T)).toEqual({ kind: 'medium', forwardMs: 5 * MIN + 1 });
    expect(classifyJump(T + 3 * HOUR, T, T).kind).toBe('medium');
    expect(classifyJump(T + 3 * HOUR + 1, T, T).kind).toBe('large');
    expect(classifyJump(T + 24 * HOUR, T, T).kind).toBe('large');
  });

  test('back: negative up to 3 hours behind the latest time seen, large beyond', () => {
    expect(classifyJump(T - HOUR, T, T)).toEqual({ kind: 'back', backMs: HOUR, behindMs: HOUR, highest: T });
    expect(classifyJump(T - 3 * HOUR - 1, T, T).kind).toBe('back-large');
    // Two steps back of two hours each: four hours behind the latest time seen.
    expect(classifyJump(T - 4 * HOUR, T - 2 * HOUR, T).kind).toBe('back-large');
  });

  test('the watch remembers the latest time seen until the clock passes it again, and forgets it after a large step', () => {
    const watch = new ClockWatch(T);
    expect(watch.look(T - HOUR).kind).toBe('back');
    expect(watch.highest).toBe(T);
    expect(watch.look(T - HOUR + 30_000).kind).toBe('none');
    expect(watch.highest).toBe(T);
    expect(watch.look(T - 5 * HOUR).kind).toBe('back-large');
    expect(watch.highest).toBe(T - 5 * HOUR);
  });
});

describe('what runs after a jump', () => {
  const due = [T - 50 * MIN, T - 20 * MIN, T - 30_000, T].map((time) => new Date(time));

  test('small jumps run every instant skipped', () => {
    expect(splitDue(due, T, { kind: 'none' }, 'wildcard')).toEqual({ fire: due, missed: [] });
  });

  test('medium forward: fixed-time pipelines run each skipped instant, wildcard ones only the current minute', () => {
    const jump = { kind: 'medium', forwardMs: HOUR } as const;
    expect(splitDue(due, T, jump, 'fixed')).toEqual({ fire: due, missed: [] });
    expect(splitDue(due, T, jump, 'wildcard')).toEqual({ fire: due.slice(2), missed: due.slice(0, 2) });
  });

  test('large forward: only the current minute, whatever the kind', () => {
    const jump = { kind: 'large', forwardMs: 5 * HOUR } as const;
    expect(splitDue(due, T, jump, 'fixed')).toEqual({ fire: due.slice(2), missed: due.slice(0, 2) });
  });

  test('after a step back, wildcard pipelines resume from now, fixed-time ones after the latest time seen', () => {
    const back = classifyJump(T - HOUR, T, T);
    expect(resumeFrom(back, 'wildcard', T - HOUR)).toBe(T - HOUR);
    expect(resumeFrom(back, 'fixed', T - HOUR)).toBe(T);
    const large = classifyJump(T - 5 * HOUR, T, T);
    expect(resumeFrom(large, 'fixed', T - 5 * HOUR)).toBe(T - 5 * HOUR);
  });

  test('each jump is described in one line', () => {
    expect(describeJump({ kind: 'none' })).toBeUndefined();
    expect(describeJump(classifyJump(T - HOUR, T, T))).toMatch(/^the clock was set back by 1h: as cron, wildcard pipelines fire from the new time; fixed-time pipelines wait until it passes /);
    expect(describeJump(classifyJump(T + 2 * HOUR, T, T))).toMatch(/^the clock jumped forward by 2h \(a step or a suspend\): as cron, fixed-time pipelines run each instant skipped/);
  });
});
