import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { MAX_TIMER_MS, setLongTimeout, sleep } from '../../../src/util/long-timer.js';

const DAY = 86_400_000;

// Real time cannot be waited for 30 days: Node's timers are faked, which is what the chaining is about.
describe('long timers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('a 30-day timer fires after 30 days, not at once as a plain setTimeout would', () => {
    const fired = vi.fn();
    setLongTimeout(fired, 30 * DAY);
    vi.advanceTimersByTime(1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(25 * DAY);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * DAY - 2);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(400 * DAY);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  test('the longest single timer and one millisecond more', () => {
    const exact = vi.fn();
    const over = vi.fn();
    setLongTimeout(exact, MAX_TIMER_MS);
    setLongTimeout(over, MAX_TIMER_MS + 1);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(exact).toHaveBeenCalledTimes(1);
    expect(over).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(over).toHaveBeenCalledTimes(1);
  });

  test('short and zero delays behave as setTimeout', () => {
    const fired = vi.fn();
    setLongTimeout(fired, 0);
    setLongTimeout(fired, 250);
    vi.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(250);
    expect(fired).toHaveBeenCalledTimes(2);
  });

  test('clearing stops it in any link of the chain, and an infinite delay never fires', () => {
    const early = vi.fn();
    const late = vi.fn();
    const never = vi.fn();
    setLongTimeout(never, Infinity);
    const first = setLongTimeout(early, 60 * DAY);
    first.clear();
    const second = setLongTimeout(late, 60 * DAY);
    vi.advanceTimersByTime(40 * DAY);
    second.clear();
    vi.advanceTimersByTime(400 * DAY);
    expect(early).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
    expect(never).not.toHaveBeenCalled();
  });

  test('sleep waits the whole time, or ends at once when aborted', async () => {
    let woke: boolean | undefined;
    void sleep(30 * DAY).then((value) => (woke = value));
    await vi.advanceTimersByTimeAsync(29 * DAY);
    expect(woke).toBeUndefined();
    await vi.advanceTimersByTimeAsync(DAY);
    expect(woke).toBe(true);

    const controller = new AbortController();
    let stopped: boolean | undefined;
    void sleep(30 * DAY, controller.signal).then((value) => (stopped = value));
    await vi.advanceTimersByTimeAsync(26 * DAY);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
  });
});
