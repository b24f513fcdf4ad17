import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture, type Fixture } from '../helpers/flow.js';

interface DateJson {
  logical_date: string;
  action: 'run' | 'skip';
  status: string | null;
  run_id: string | null;
}

interface RunJson {
  id: string;
  trigger: string;
  logical_date: string;
  status: string;
}

// Each run appends what it was told, and fails for the day named in `fail-on`, if any.
const DAILY = `
schedule: "0 3 * * *"
timezone: Europe/Berlin
tasks:
  extract:
    run: echo "$FLOW_LOGICAL_DATE $FLOW_DS $FLOW_TRIGGER" >> seen; [ "$FLOW_DS" != "$(cat fail-on 2>/dev/null)" ]
  load:
    run: "true"
    depends_on: [extract]
`;

const RANGE = ['--from', '2026-03-26', '--to', '2026-03-31'];
const UTC_INSTANTS = ['2026-03-26T02:00:00.000Z', '2026-03-27T02:00:00.000Z', '2026-03-28T02:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T01:00:00.000Z', '2026-03-31T01:00:00.000Z'];

function seen(f: Fixture): string[] {
  const file = f.path('pipelines', 'seen');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function history(f: Fixture, ...args: string[]): Promise<RunJson[]> {
  return JSON.parse((await f.flow(['history', '--json', '--limit', '100', ...args])).stdout) as RunJson[];
}

function dates(stdout: string): DateJson[] {
  return JSON.parse(stdout) as DateJson[];
}

describe('flow backfill', () => {
  test('runs each instant across the DST change with its logical date; the same backfill again runs nothing', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY });
    const result = await f.flow(['backfill', 'daily', ...RANGE]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(seen(f)).toEqual([
      '2026-03-26T03:00:00+01:00 2026-03-26 backfill',
      '2026-03-27T03:00:00+01:00 2026-03-27 backfill',
      '2026-03-28T03:00:00+01:00 2026-03-28 backfill',
      '2026-03-29T03:00:00+02:00 2026-03-29 backfill',
      '2026-03-30T03:00:00+02:00 2026-03-30 backfill',
      '2026-03-31T03:00:00+02:00 2026-03-31 backfill',
    ]);
    const runs = await history(f);
    expect(runs.map((run) => new Date(run.logical_date).toISOString()).sort()).toEqual(UTC_INSTANTS);
    expect(runs.every((run) => run.trigger === 'backfill' && run.status === 'success')).toBe(true);
    // Off a TTY: one line per finished date, then the summary table.
    expect(result.stdout).toMatch(/^2026-03-29 03:00:00\+02:00 {2}success .* run \S+$/m);
    expect(result.stdout).toMatch(/^logical date\s+status\s+duration\s+run\s+failed$/m);
    expect(result.stdout).toMatch(/daily backfill: 6 dates: 6 ran \(6 succeeded\) in /);

    const again = await f.flow(['backfill', 'daily', ...RANGE, '--json']);
    expect(again.code).toBe(0);
    const planned = dates(again.stdout);
    expect(planned.map((date) => date.action)).toEqual(Array(6).fill('skip'));
    expect(planned.map((date) => date.status)).toEqual(Array(6).fill('success'));
    expect(new Set(planned.map((date) => date.run_id))).toEqual(new Set(runs.map((run) => run.id)));
    expect(seen(f)).toHaveLength(6);
    expect(await history(f)).toHaveLength(6);
  });

  test('a failed date exits 1; --rerun failed runs it and nothing else', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY, 'pipelines/fail-on': '2026-03-28\n' });
    const first = await f.flow(['backfill', 'daily', ...RANGE]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^2026-03-28 03:00:00\+01:00\s+failed\s+\S+\s+\S+\s+extract$/m);
    expect(first.stdout).toMatch(/6 ran \(5 succeeded, 1 failed\)/);

    f.write({ 'pipelines/fail-on': '' });
    const dry = await f.flow(['backfill', 'daily', ...RANGE, '--rerun', 'failed', '--dry-run']);
    expect(dry.stdout).toMatch(/^2026-03-28 03:00:00\+01:00\s+run\s+failed in run \S+$/m);
    expect(dry.stdout.match(/\bskip\s+succeeded in run/g)).toHaveLength(5);

    const rerun = await f.flow(['backfill', 'daily', ...RANGE, '--rerun', 'failed', '--json']);
    expect(rerun.code).toBe(0);
    const ran = dates(rerun.stdout).filter((date) => date.action === 'run');
    expect(ran).toEqual([{ logical_date: '2026-03-28T03:00:00+01:00', action: 'run', status: 'success', run_id: expect.any(String) as string, duration_ms: expect.any(Number) as number, failed_tasks: [] }]);
    expect(seen(f).slice(6)).toEqual(['2026-03-28T03:00:00+01:00 2026-03-28 backfill']);
    expect(dates((await f.flow(['backfill', 'daily', ...RANGE, '--rerun', 'failed', '--json'])).stdout).every((date) => date.action === 'skip')).toBe(true);
    expect(seen(f)).toHaveLength(7);
  });

  test('--rerun all runs every date again; --reverse goes newest first', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY });
    await f.flow(['backfill', 'daily', '--from', '2026-03-26', '--to', '2026-03-27']);
    const all = await f.flow(['backfill', 'daily', '--from', '2026-03-26', '--to', '2026-03-28', '--rerun', 'all', '--reverse']);
    expect(all.code).toBe(0);
    expect(seen(f).slice(2).map((line) => line.split(' ')[1])).toEqual(['2026-03-28', '2026-03-27', '2026-03-26']);
  });

  // Each date waits (up to a minute) for the other to start: the backfill can only succeed if both run at once.
  // A start file appears (renamed into place) only once its time is in it.
  test('--parallel 2 runs two dates at once', async () => {
    const f = fixture({
      'pipelines/p.flow.yaml': `
schedule: "0 0 * * *"
timezone: UTC
tasks:
  work:
    run: date +%s%N > "$FLOW_DS.tmp"; mv "$FLOW_DS.tmp" "$FLOW_DS.start"; n=0; until [ "$(ls *.start | wc -l)" -ge 2 ]; do n=$((n+1)); [ $n -lt 1200 ] || exit 9; sleep 0.05; done; date +%s%N > "$FLOW_DS.end"
`,
    });
    const result = await f.flow(['backfill', 'p', '--from', '2026-01-01', '--to', '2026-01-02', '--parallel', '2']);
    expect(result.code).toBe(0);
    const stamp = (name: string) => BigInt(readFileSync(f.path('pipelines', name), 'utf8').trim());
    const [a, b] = ['2026-01-01', '2026-01-02'].map((day) => ({ start: stamp(`${day}.start`), end: stamp(`${day}.end`) })) as [{ start: bigint; end: bigint }, { start: bigint; end: bigint }];
    expect(a.start < b.end && b.start < a.end).toBe(true);
  });

  test('--dry-run lists the dates and what it would do, and runs nothing', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY });
    await f.flow(['run', 'daily', '--date', '2026-03-30T03:00']);
    const result = await f.flow(['backfill', 'daily', ...RANGE, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('daily backfill from 2026-03-26 00:00:00+01:00 to 2026-03-31 23:59:59+02:00 (Europe/Berlin), --rerun missing: 6 dates, 5 to run, 1 to skip');
    expect(result.stdout).toMatch(/^2026-03-26 03:00:00\+01:00\s+run\s+no run yet$/m);
    expect(result.stdout).toMatch(/^2026-03-30 03:00:00\+02:00\s+skip\s+succeeded in run \S+$/m);
    const json = dates((await f.flow(['backfill', 'daily', ...RANGE, '--dry-run', '--json'])).stdout);
    expect(json.map((date) => date.action)).toEqual(['run', 'run', 'run', 'run', 'skip', 'run']);
    expect(seen(f)).toHaveLength(1);
    expect(await history(f)).toHaveLength(1);
  });

  test('a run of any trigger whose logical date is the same instant counts as done', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY });
    // The same instant as 2026-03-27 03:00 in Berlin, written in UTC.
    expect((await f.flow(['run', 'daily', '--date', '2026-03-27T02:00:00Z'])).code).toBe(0);
    const planned = dates((await f.flow(['backfill', 'daily', '--from', '2026-03-26', '--to', '2026-03-28', '--json'])).stdout);
    expect(planned.map((date) => `${date.action} ${date.status ?? ''}`)).toEqual(['run success', 'skip success', 'run success']);
  });

  test('ends given as instants are included; a range with too many instants is refused', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY });
    const result = await f.flow(['backfill', 'daily', '--from', '2026-03-27T02:00:00Z', '--to', '2026-03-29T03:00', '--dry-run', '--json']);
    expect(dates(result.stdout).map((date) => date.logical_date)).toEqual(['2026-03-27T03:00:00+01:00', '2026-03-28T03:00:00+01:00', '2026-03-29T03:00:00+02:00']);

    const many = await f.flow(['backfill', 'daily', '--from', '2000-01-01', '--to', '2099-12-31', '--dry-run']);
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/^flow: "0 3 \* \* \*" fires more than 10000 times from 2000-01-01T00:00:00\+01:00 to 2099-12-31T23:59:59\.999\+01:00$/m);
    expect(many.stderr).toContain('--to 2027-05-18T03:00:00+02:00');
  });

  test('refuses, in one line, a pipeline without a schedule and dates that are not dates', async () => {
    const f = fixture({ 'pipelines/adhoc.flow.yaml': 'tasks:\n  a:\n    run: "true"\n', 'pipelines/daily.flow.yaml': DAILY });
    const none = await f.flow(['backfill', 'adhoc', ...RANGE]);
    expect(none.code).toBe(2);
    expect(none.stderr.split('\n')[0]).toBe('flow: pipeline "adhoc" has no schedule, so it has no dates to backfill');
    const bad = await f.flow(['backfill', 'daily', '--from', '2026-02-30', '--to', '2026-03-01']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('flow: --from: "2026-02-30" is not a date');
    const backwards = await f.flow(['backfill', 'daily', '--from', '2026-03-31', '--to', '2026-03-26']);
    expect(backwards.stderr.split('\n')[0]).toBe('flow: --from 2026-03-31T00:00:00+02:00 is after --to 2026-03-26T23:59:59.999+01:00');
    const mode = await f.flow(['backfill', 'daily', ...RANGE, '--rerun', 'some']);
    expect(mode.stderr.split('\n')[0]).toBe('flow: --rerun: expected one of missing, failed, all, got "some"');
    expect(seen(f)).toEqual([]);
  });

  test('history shows the trigger and logical date, and --trigger backfill filters', async () => {
    const f = fixture({ 'pipelines/daily.flow.yaml': DAILY });
    await f.flow(['backfill', 'daily', '--from', '2026-03-26', '--to', '2026-03-27']);
    await f.flow(['run', 'daily', '--date', '2026-03-29']);
    const backfilled = await history(f, '--trigger', 'backfill');
    expect(backfilled.map((run) => run.logical_date)).toEqual(['2026-03-27T03:00:00+01:00', '2026-03-26T03:00:00+01:00']);
    const manual = await history(f, '--trigger', 'manual');
    // A day given to --date is that day's midnight in the pipeline's zone.
    expect(manual.map((run) => run.logical_date)).toEqual(['2026-03-29T00:00:00+01:00']);
    const table = await f.flow(['history', 'daily', '--trigger', 'backfill']);
    expect(table.stdout).toMatch(/^\S+\s+daily\s+backfill\s+2026-03-27 03:00:00\+01:00\s/m);
  });

  test('Ctrl-C stops cleanly: no more dates start, and the next backfill resumes where it stopped', async () => {
    const f = fixture({
      'pipelines/slow.flow.yaml': `
schedule: "0 0 * * *"
timezone: UTC
tasks:
  work:
    run: echo "$FLOW_DS" >> started; while [ ! -e go ]; do sleep 0.05; done
`,
    });
    const running = f.start(['backfill', 'slow', '--from', '2026-01-01', '--to', '2026-01-04']);
    await eventually('the first date to start', () => existsSync(f.path('pipelines', 'started')));
    running.signal('SIGINT');
    const stopped = await running.exited;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(/^2026-01-01 00:00:00\+00:00\s+cancelled\s/m);
    expect(stopped.stdout).toMatch(/1 ran \(1 cancelled\), 3 not started/);
    expect(readFileSync(f.path('pipelines', 'started'), 'utf8')).toBe('2026-01-01\n');

    f.write({ 'pipelines/go': '' });
    const resumed = await f.flow(['backfill', 'slow', '--from', '2026-01-01', '--to', '2026-01-04', '--json']);
    expect(resumed.code).toBe(0);
    expect(dates(resumed.stdout).map((date) => `${date.action} ${date.status ?? ''}`)).toEqual(Array(4).fill('run success'));
  });
});
