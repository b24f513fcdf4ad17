import { describe, expect, test } from 'vitest';
import { check, count, instant, list, literal, looseObject, nullable, oneOf, optional, record, string, withDefault } from '../../../src/store/check.js';

const shape = looseObject({
  version: literal(1),
  name: string,
  when: nullable(instant),
  tags: withDefault(list(string), () => []),
  note: optional(string),
  runs: list(looseObject({ n: count, status: oneOf(['ok', 'failed']) })),
});

describe('the structural checker of files under FLOW_HOME', () => {
  test('keeps unknown keys, fills defaults, leaves optional keys out, and copies', () => {
    const input = { extra: { a: 1 }, runs: [{ n: 0, status: 'ok', more: true }], version: 1, name: 'p', when: null };
    const result = check(shape, input);
    expect(result).toEqual({ success: true, data: { version: 1, name: 'p', when: null, tags: [], runs: [{ n: 0, status: 'ok', more: true }], extra: { a: 1 } } });
    if (!result.success) return;
    expect(Object.keys(result.data)).toEqual(['version', 'name', 'when', 'tags', 'runs', 'extra']);
    expect(result.data).not.toBe(input);
    expect('note' in result.data).toBe(false);
  });

  test.each([
    [[], 'expected an object, got a list'],
    [{ version: 2, name: 'p', when: null, runs: [] }, 'version: expected 1'],
    [{ version: 1, when: null, runs: [] }, 'name: expected a string, got nothing'],
    [{ version: 1, name: 'p', when: 'soon', runs: [] }, 'when: not a date'],
    [{ version: 1, name: 'p', when: null, runs: [{ n: -1, status: 'ok' }] }, 'runs.0.n: expected a whole number of 0 or more'],
    [{ version: 1, name: 'p', when: null, runs: [{ n: 1.5, status: 'ok' }] }, 'runs.0.n: expected a whole number'],
    [{ version: 1, name: 'p', when: null, runs: [{ n: 1, status: 'gone' }] }, 'runs.0.status: expected one of ok, failed'],
    [{ version: 1, name: 'p', when: null, runs: [], note: 3 }, 'note: expected a string, got a number'],
  ])('refuses %j: %s', (input, problem) => {
    expect(check(shape, input)).toEqual({ success: false, problem });
  });

  test('a key named __proto__ stays a key', () => {
    const result = check(record(string), JSON.parse('{"__proto__": "x", "a": "b"}'));
    expect(result.success && Object.getPrototypeOf(result.data)).toBe(Object.prototype);
    expect(result.success && Object.keys(result.data)).toEqual(['__proto__', 'a']);
  });
});
