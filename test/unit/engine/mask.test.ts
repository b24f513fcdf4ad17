import { describe, expect, test } from 'vitest';
import { maskDeep, maskText, secretValues, StreamMasker } from '../../../src/engine/mask.js';

function through(secrets: string[], chunks: string[]): { text: string; pieces: string[] } {
  const masker = new StreamMasker(secrets);
  const pieces = chunks.map((chunk) => masker.push(Buffer.from(chunk)).toString());
  pieces.push(masker.end().toString());
  return { text: pieces.join(''), pieces };
}

describe('secretValues', () => {
  test('listed names, and names that look secret from 4 characters on', () => {
    const env = { PLAIN: 'abc', API_TOKEN: 'tok-1', DB_PASSWORD: 'pw12', X_SECRET: 's3cr', SSH_KEY: 'k', HOME: '/root', EMPTY_TOKEN: '' };
    expect(secretValues(env, ['PLAIN']).sort()).toEqual(['abc', 'pw12', 's3cr', 'tok-1'].sort());
    expect(secretValues(env, [])).not.toContain('abc');
  });

  test('longest first, so a secret inside another is not masked first', () => {
    expect(secretValues({ A_TOKEN: 'abcd', B_TOKEN: 'abcdefgh' }, [])).toEqual(['abcdefgh', 'abcd']);
  });
});

describe('StreamMasker', () => {
  test('a value printed whole', () => {
    expect(through(['abcdef'], ['x abcdef y\n']).text).toBe('x *** y\n');
  });

  test('a value split across two writes', () => {
    const { text, pieces } = through(['abcdef'], ['x abc', 'def y\n']);
    expect(text).toBe('x *** y\n');
    // only the part that could begin the secret was held back
    expect(pieces[0]).toBe('x ');
  });

  test('a tail that turns out not to be the secret is written', () => {
    expect(through(['abcdef'], ['ab', 'x\n']).text).toBe('abx\n');
    expect(through(['abcdef'], ['abc']).text).toBe('abc');
  });

  test('split byte by byte, repeated, overlapping', () => {
    const input = 'aabcdefabcdefab abcdef';
    expect(through(['abcdef'], input.split('')).text).toBe('a******ab ***');
  });

  test('several secrets, multi-byte characters', () => {
    expect(through(['пароль', 'key1'], ['1 пар', 'оль 2 ke', 'y1 3']).text).toBe('1 *** 2 *** 3');
  });

  test('nothing to mask passes through unchanged and unheld', () => {
    const { pieces } = through(['secret'], ['hello\n', 'world\n']);
    expect(pieces).toEqual(['hello\n', 'world\n', '']);
  });
});

describe('maskText and maskDeep', () => {
  test('strings anywhere in a record', () => {
    const record = { id: 'r', tasks: [{ error: 'failed: abcdef', attempts: [1, null] }], hooks: [{ error: 'x abcdef' }] };
    expect(maskDeep(record, ['abcdef'])).toEqual({ id: 'r', tasks: [{ error: 'failed: ***', attempts: [1, null] }], hooks: [{ error: 'x ***' }] });
    expect(record.tasks[0]?.error).toBe('failed: abcdef');
    expect(maskText('abcdefabcdef', ['abcdef'])).toBe('******');
  });
});
