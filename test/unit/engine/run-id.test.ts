import { describe, expect, test } from 'vitest';
import { RUN_ID, scheduledRunId } from '../../../src/engine/run-id.js';

describe('scheduledRunId', () => {
  const instant = new Date('2026-03-01T02:00:00Z');

  test('is the same for the same pipeline and instant, on any scheduler', () => {
    expect(scheduledRunId('etl', instant)).toBe(scheduledRunId('etl', new Date(instant.getTime())));
  });

  test('differs by pipeline and by instant, and has the shape of every run id', () => {
    const id = scheduledRunId('etl', instant);
    expect(id).toMatch(RUN_ID);
    expect(id.startsWith('20260301T020000.000Z-')).toBe(true);
    expect(scheduledRunId('other', instant)).not.toBe(id);
    expect(scheduledRunId('etl', new Date(instant.getTime() + 1000))).not.toBe(id);
  });
});
