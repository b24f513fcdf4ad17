import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { firstLine, tailLines } from '../../../src/store/log-files.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log tails', () => {
  test('the last lines, with or without a final newline', () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, Array.from({ length: 500 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    expect(tailLines(file, 3)).toEqual(['line 498', 'line 499', 'line 500']);
    writeFileSync(file, 'one\ntwo\nno newline');
    expect(tailLines(file, 2)).toEqual(['two', 'no newline']);
    expect(tailLines(join(dir, 'missing.log'), 5)).toEqual([]);
    expect(firstLine(file)).toBe('one');
  });

  test('a huge log without newlines is read only as far as the cap', () => {
    const file = join(dir, 'zeros.log');
    writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 0x30));
    const lines = tailLines(file, 100, 1024 * 1024);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toHaveLength(1024 * 1024);
  });
});
