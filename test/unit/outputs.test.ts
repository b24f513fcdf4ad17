import { describe, expect, test } from 'vitest';
import { outputEnv, outputEnvName, outputsOfValue, parseOutputFile } from '../../src/engine/outputs.js';

describe('$FLOW_OUTPUT, read as GitHub Actions reads $GITHUB_OUTPUT', () => {
  test('KEY=VALUE lines: the value is everything after the first "=", may be empty, and a later key wins', () => {
    expect(parseOutputFile('a=1\nb=x=y\nempty=\n\na=2\n')).toEqual({ outputs: { a: '2', b: 'x=y', empty: '' } });
  });

  test('KEY<<DELIM blocks hold any lines up to DELIM, = and << included; CRLF line ends are taken off', () => {
    expect(parseOutputFile('text<<END\r\nx=1\r\nfoo<<bar\r\n\r\nEND\r\nafter=yes\r\n')).toEqual({ outputs: { text: 'x=1\nfoo<<bar\n', after: 'yes' } });
  });

  test('a line with "=" before "<<" is a KEY=VALUE line', () => {
    expect(parseOutputFile('a=b<<c\n')).toEqual({ outputs: { a: 'b<<c' } });
  });

  test.each([
    ['oops\n', '$FLOW_OUTPUT line 1: expected KEY=VALUE or KEY<<DELIMITER, got "oops"'],
    ['ok=1\nbody<<EOF\nno end\n', '$FLOW_OUTPUT line 2: the body<<EOF block never ends: no line "EOF" follows'],
    ['my-key=1\n', '$FLOW_OUTPUT line 1: "my-key" is not a valid output key (letters, digits and "_", not starting with a digit)'],
    ['=1\n', '$FLOW_OUTPUT line 1: "" is not a valid output key (letters, digits and "_", not starting with a digit)'],
  ])('%j is refused: %s', (text, error) => {
    expect(parseOutputFile(text)).toEqual({ error });
  });
});

describe('returned values and environment names', () => {
  test('an object gives one output per key, a scalar gives return_value, anything else nothing', () => {
    expect(outputsOfValue({ n: 1, s: 'x', list: [1, 2], skip: undefined })).toEqual({ outputs: { n: '1', s: 'x', list: '[1,2]' } });
    expect(outputsOfValue(42)).toEqual({ outputs: { return_value: '42' } });
    expect(outputsOfValue(undefined)).toEqual({ outputs: {} });
    expect(outputsOfValue(['a'])).toEqual({ outputs: {} });
    expect(outputsOfValue({ 'bad key': 1 })).toEqual({ error: 'returned key "bad key" is not a valid output key (letters, digits and "_", not starting with a digit)' });
    expect('error' in outputsOfValue({ big: 'x'.repeat(70_000) })).toBe(true);
  });

  test('FLOW_OUT_<TASK>_<KEY>: the task id upper-cased with other characters as _, the key as written', () => {
    expect(outputEnvName('extract-data.v2', 'rowCount')).toBe('FLOW_OUT_EXTRACT_DATA_V2_rowCount');
  });

  test('two outputs under one name are an error naming both', () => {
    expect(outputEnv([['a', { B_x: '1' }], ['a_b', { x: '2' }]])).toEqual({ error: 'outputs "a".B_x and "a_b".x both map to FLOW_OUT_A_B_x; rename one key' });
  });
});
