/**
 * `flow next` (src/cli/commands/next.ts), called as a function with captured streams: expressions, pipelines,
 * --json, --after in a zone, never-firing schedules and bad expressions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nextCommand, type NextFlags } from '../../../src/cli/commands/next.js';
import { reportError } from '../../../src/cli/errors.js';
import { FlowError } from '../../../src/errors.js';

function stream(): NodeJS.WriteStream & { text: string } {
  const out = { text: '', isTTY: false, write: (chunk: string) => ((out.text += chunk), true) };
  return out as unknown as NodeJS.WriteStream & { text: string };
}

async function next(ref: string, flags: NextFlags = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = stream();
  const stderr = stream();
  const code = await nextCommand(ref, flags, { stdout, stderr, env: { NO_COLOR: '1' } }, () => new Date('2026-03-07T12:00:00Z'));
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const dir = mkdtempSync(join(tmpdir(), 'flow-next-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pipeline = (name: string, lines: string): void =>
  writeFileSync(join(dir, `${name}.flow.yaml`), `name: ${name}\n${lines}tasks:\n  hello:\n    run: echo hello\n`);
pipeline('nightly', 'schedule: "30 2 * * *"\ntimezone: America/New_York\n');
pipeline('manual', '');

describe('flow next', () => {
  it('prints the next instants with their offset, weekday, local time and zone', async () => {
    const result = await next('30 2 * * *', { tz: 'America/New_York', count: 3 });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: ['2026-03-08T03:00:00-04:00  Sun 03:00 EDT', '2026-03-09T02:30:00-04:00  Mon 02:30 EDT', '2026-03-10T02:30:00-04:00  Tue 02:30 EDT', ''].join('\n'),
    });
  });

  it('prints JSON with --json', async () => {
    const result = await next('*/20 1 * * *', { tz: 'America/New_York', count: 6, after: '2026-11-01', json: true });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      expression: '*/20 1 * * *',
      timezone: 'America/New_York',
      times: [
        '2026-11-01T01:00:00-04:00',
        '2026-11-01T01:20:00-04:00',
        '2026-11-01T01:40:00-04:00',
        '2026-11-01T01:00:00-05:00',
        '2026-11-01T01:20:00-05:00',
        '2026-11-01T01:40:00-05:00',
      ],
    });
  });

  it('reads --after with an offset as that instant, and without one in the schedule\'s zone', async () => {
    expect((await next('@daily', { tz: 'Asia/Kolkata', count: 1, after: '2026-06-01T00:00:00Z' })).stdout).toBe('2026-06-02T00:00:00+05:30  Tue 00:00 IST\n');
    expect((await next('@daily', { tz: 'Asia/Kolkata', count: 1, after: '2026-06-01T00:00' })).stdout).toBe('2026-06-02T00:00:00+05:30  Tue 00:00 IST\n');
    expect((await next('@daily', { tz: 'Asia/Kolkata', count: 1, after: '2026-05-31T23:59:59+05:30' })).stdout).toBe('2026-06-01T00:00:00+05:30  Mon 00:00 IST\n');
  });

  it('shows seconds for a schedule with a seconds field, and the zone\'s own abbreviation', async () => {
    const result = await next('*/30 0 2 * * *', { tz: 'Europe/London', count: 2, after: '2026-07-01' });
    expect(result.stdout).toBe('2026-07-01T02:00:00+01:00  Wed 02:00:00 BST\n2026-07-01T02:00:30+01:00  Wed 02:00:30 BST\n');
  });

  it('uses a pipeline\'s schedule and time zone', async () => {
    const result = await next('nightly', { dir, count: 2, json: true });
    expect(JSON.parse(result.stdout)).toEqual({ expression: '30 2 * * *', timezone: 'America/New_York', times: ['2026-03-08T03:00:00-04:00', '2026-03-09T02:30:00-04:00'] });
    expect((await next(join(dir, 'nightly.flow.yaml'), { count: 1 })).stdout).toBe('2026-03-08T03:00:00-04:00  Sun 03:00 EDT\n');
  });

  it('says so when a pipeline has no schedule', async () => {
    const result = await next('manual', { dir, json: true });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ expression: null, times: [] });
    expect(result.stderr).toBe('flow: warning: pipeline "manual" has no schedule (add `schedule:` to run it from the daemon)\n');
  });

  it('prints an empty list and one warning for a schedule that never fires, at once', async () => {
    // CPU time, which a loaded machine does not inflate: a search for 1000 fire times would cost far more.
    const before = process.cpuUsage();
    const result = await next('0 0 30 2 *', { tz: 'UTC', count: 1000 });
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(1_000);
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'flow: warning: schedule "0 0 30 2 *" never fires (there is no February 30)\n' });
    expect(JSON.parse((await next('0 0 30 2 *', { tz: 'UTC', json: true })).stdout)).toEqual({ expression: '0 0 30 2 *', timezone: 'UTC', times: [] });
  });

  it('explains @reboot', async () => {
    expect(await next('@reboot', { tz: 'UTC' })).toEqual({ code: 0, stdout: '', stderr: 'flow: warning: @reboot runs once when the daemon starts; it has no clock times\n' });
  });

  it('refuses a bad expression with one line and exit code 2', async () => {
    const error = await next('61 * * * *', { tz: 'UTC' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowError);
    expect(error).toMatchObject({ code: 'E_VALIDATION', message: 'schedule "61 * * * *": minute: 61 is out of range 0-59' });
    const stderr = stream();
    expect(reportError(error, stderr)).toBe(2);
    expect(stderr.text).toBe('flow: schedule "61 * * * *": minute: 61 is out of range 0-59\n');
  });

  it.each([
    [{ tz: 'Mars/Base' }, '--tz: unknown time zone "Mars/Base"'],
    [{ count: 0 }, '--count: expected a whole number from 1 to 1000, got 0'],
    [{ after: 'yesterday' }, '--after: "yesterday" is not an ISO 8601 date and time'],
    [{ after: '2026-02-30' }, '--after: "2026-02-30" is not an ISO 8601 date and time'],
  ])('refuses bad options: %j', async (flags, message) => {
    await expect(next('* * * * *', flags)).rejects.toMatchObject({ code: 'E_USAGE', message });
  });

  it.each(['*/5', '15'])('hints at quotes when a lone field %j was taken for a pipeline', async (field) => {
    await expect(next(field, { dir })).rejects.toMatchObject({
      code: 'E_USAGE',
      message: `"${field}" is neither a pipeline nor a whole cron expression`,
      hint: `give all five fields in quotes, as in: flow next "${field} * * * *"`,
    });
  });

  it('reports an unknown pipeline as discover does', async () => {
    await expect(next('nightlly', { dir })).rejects.toMatchObject({ code: 'E_PIPELINE_NOT_FOUND' });
  });
});
