import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

describe('flow next', () => {
  test('prints the next fire times in the zone, following cronie across DST', async () => {
    const f = fixture();
    const result = await f.flow(['next', '30 2 * * *', '--tz', 'America/New_York', '--after', '2026-03-07T12:00', '--count', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['2026-03-08T03:00:00-04:00  Sun 03:00 EDT', '2026-03-09T02:30:00-04:00  Mon 02:30 EDT']);
  });

  test("reads a pipeline's schedule and time zone", async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': 'schedule: "0 3 * * *"\ntimezone: Europe/Berlin\ntasks:\n  a:\n    run: "true"\n' });
    const result = await f.flow(['next', 'etl', '--after', '2026-03-28T12:00:00Z', '-n', '2', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({
      expression: '0 3 * * *',
      timezone: 'Europe/Berlin',
      times: ['2026-03-29T03:00:00+02:00', '2026-03-30T03:00:00+02:00'],
    });
  });

  test('a schedule that never fires: an empty list and a warning, at once', async () => {
    const f = fixture();
    // "At once" is timed by `npm run bench` (schedule); here, that the answer comes without a search to give up on.
    const result = await f.flow(['next', '0 0 30 2 *']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe('flow: warning: schedule "0 0 30 2 *" never fires (there is no February 30)');
  });

  test('a bad expression is one line naming the field, exit 2', async () => {
    const f = fixture();
    const result = await f.flow(['next', '61 * * * *']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('flow: schedule "61 * * * *": minute: 61 is out of range 0-59');
  });

  test('flow validate rejects a pipeline whose schedule never fires, or is not cron syntax', async () => {
    const f = fixture({
      'never.flow.yaml': 'schedule: "0 0 30 2 *"\ntasks:\n  a:\n    run: "true"\n',
      'quartz.flow.yaml': 'schedule: "0 0 * * 5L"\ntasks:\n  a:\n    run: "true"\n',
    });
    const result = await f.flow(['validate', '.']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('never.flow.yaml:1:11: schedule: "0 0 30 2 *" never fires (there is no February 30)');
    expect(result.stdout).toContain('quartz.flow.yaml:1:11: schedule: day-of-week: "5L" is not cron syntax (flow follows crontab(5))');
  });
});
