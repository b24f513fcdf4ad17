import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration } from '../../src/util/duration.js';
import { DURATION_PATTERN } from '../../src/pipeline/schema.js';

describe('durations', () => {
  test.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1.5s', 1500],
    ['0', 0],
    ['1h1m1s1ms', 3_661_001],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(new RegExp(DURATION_PATTERN).test(text)).toBe(true);
  });

  test.each(['', '30', 's', '5 m', '1h 30m', '-5s', '5sec', 'soon', '1.s'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
    expect(new RegExp(DURATION_PATTERN).test(text)).toBe(false);
  });

  test('formats the shortest exact text', () => {
    expect(formatDuration(12)).toBe('12ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
  });
});
