import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { LogFollower, type LogPiece } from '../../../src/ui/log/log-follower.js';
import { readLogWindow, WINDOW_BYTES } from '../../../src/ui/log/log-range.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-ui-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Resolves once `check` holds, or fails naming what it waited for after a generous deadline. */
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('log windows', () => {
  test('a 1 GiB log opens on its last 256 KiB, starting on a line', async () => {
    const file = join(dir, 'huge.log');
    writeFileSync(file, '');
    truncateSync(file, 1024 ** 3);
    appendFileSync(file, Array.from({ length: 40_000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const window = await readLogWindow(file);
    expect(window.size).toBeGreaterThan(1024 ** 3);
    expect(window.end).toBe(window.size);
    expect(window.bytes.length).toBeLessThanOrEqual(WINDOW_BYTES);
    expect(window.bytes.toString().startsWith('line ')).toBe(true);
    expect(window.bytes.toString().endsWith('line 39999\n')).toBe(true);
    // "load earlier" ends where this window starts: the two meet with nothing lost or repeated.
    const earlier = await readLogWindow(file, window.start);
    expect(earlier.end).toBe(window.start);
    expect(earlier.bytes.toString().endsWith('\n')).toBe(true);
  });

  test('a small log is read whole; a missing one is empty', async () => {
    const file = join(dir, 'small.log');
    writeFileSync(file, 'a\nb\n');
    expect(await readLogWindow(file)).toMatchObject({ start: 0, end: 4, size: 4 });
    expect(await readLogWindow(join(dir, 'none.log'))).toMatchObject({ start: 0, end: 0, size: 0 });
  });
});

describe('following a log by byte offset', () => {
  test('pieces are contiguous from the offset asked, and the end renders what was held back', async () => {
    const file = join(dir, 'live.log');
    writeFileSync(file, 'before\n');
    const pieces: LogPiece[] = [];
    const follower = new LogFollower(file, 7, (piece) => pieces.push(piece));
    follower.start();
    appendFileSync(file, 'one <b>\n');
    await until('the first appended line', () => pieces.map((piece) => piece.html).join('').includes('one'));
    appendFileSync(file, Buffer.from([0xe2, 0x82]));
    appendFileSync(file, 'x'.repeat(10));
    appendFileSync(file, Buffer.from('\u001b[3'));
    await until('the x run', () => follower.offset === 7 + 8 + 12);
    await follower.end();
    const html = pieces.map((piece) => piece.html).join('');
    expect(html).toBe('one &#60;b&#62;\n\ufffdxxxxxxxxxx␛[3');
    expect(pieces[0]?.offset).toBe(7);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.offset).toBe(pieces[i - 1]?.next);
    expect(pieces.at(-1)?.next).toBe(7 + 8 + 2 + 10 + 3);
  });
});
