import { describe, expect, test } from 'vitest';
import { historyByInstant } from '../../../src/backfill/history.js';
import { backfillInstants, backfillSchedule } from '../../../src/backfill/instants.js';
import { planBackfill } from '../../../src/backfill/plan.js';
import type { RerunMode } from '../../../src/backfill/types.js';
import type { RunStatus } from '../../../src/engine/events.js';
import { normalizePipeline } from '../../../src/pipeline/normalize.js';
import { parseSchedule } from '../../../src/schedule/index.js';
import type { RunSummary } from '../../../src/store/summary.js';

const pipeline = normalizePipeline({ schedule: '0 3 * * *', timezone: 'Europe/Berlin', tasks: { a: { run: 'true' } } }, '/srv/daily.flow.yaml', 'yaml');

let seq = 0;
function run(logical: string, status: RunStatus): RunSummary {
  seq += 1;
  return {
    id: `20260401T000000.${String(seq).padStart(3, '0')}Z-aaaaaa`,
    pipeline: 'daily',
    file: '/srv/daily.flow.yaml',
    trigger: 'schedule',
    logical_date: logical,
    status,
    started_at: '2026-04-01T00:00:00+00:00',
    ended_at: null,
    duration_ms: null,
    host: 'h',
    pid: 1,
    pid_start: null,
    boot_id: null,
    hooks: [],
    failed_tasks: [],
  };
}

const instants = ['2026-03-26T02:00:00Z', '2026-03-27T02:00:00Z', '2026-03-28T02:00:00Z', '2026-03-29T01:00:00Z'].map((text) => new Date(text));

function plan(rerun: RerunMode, runs: RunSummary[], reverse = false) {
  return planBackfill({ pipeline, instants, runs, from: instants[0] as Date, to: instants[3] as Date, rerun, parallel: 1, reverse });
}

describe('what history holds per logical date', () => {
  test('a success wins over later failures; else a running run; else the latest; instants, not text', () => {
    const runs = [
      run('2026-03-26T03:00:00+01:00', 'success'),
      run('2026-03-26T02:00:00Z', 'failed'),
      run('2026-03-27T03:00:00+01:00', 'running'),
      run('2026-03-27T03:00:00+01:00', 'failed'),
      run('2026-03-28T03:00:00+01:00', 'failed'),
      run('2026-03-28T03:00:00+01:00', 'cancelled'),
      run('not a date', 'success'),
    ];
    const byInstant = historyByInstant(runs);
    expect(byInstant.get(Date.parse('2026-03-26T02:00:00Z'))).toEqual({ status: 'success', run_id: runs[0]?.id });
    expect(byInstant.get(Date.parse('2026-03-27T02:00:00Z'))).toEqual({ status: 'running', run_id: runs[2]?.id });
    expect(byInstant.get(Date.parse('2026-03-28T02:00:00Z'))).toEqual({ status: 'cancelled', run_id: runs[5]?.id });
    expect(byInstant.size).toBe(3);
  });
});

describe('planBackfill', () => {
  const runs = [run('2026-03-26T03:00:00+01:00', 'success'), run('2026-03-27T03:00:00+01:00', 'failed'), run('2026-03-28T03:00:00+01:00', 'running')];
  const actions = (mode: RerunMode) => plan(mode, runs).dates.map((date) => date.action);

  test('missing runs what has no success and is not running; failed only what ran without success; all everything', () => {
    expect(actions('missing')).toEqual(['skip', 'run', 'skip', 'run']);
    expect(actions('failed')).toEqual(['skip', 'run', 'skip', 'skip']);
    expect(actions('all')).toEqual(['run', 'run', 'run', 'run']);
  });

  test('dates are written in the zone, with what history held; --reverse goes newest first', () => {
    const result = plan('missing', runs, true);
    expect(result.dates[0]).toEqual({ logical_date: '2026-03-29T03:00:00+02:00', action: 'run', status: null, run_id: null });
    expect(result.dates[3]).toEqual({ logical_date: '2026-03-26T03:00:00+01:00', action: 'skip', status: 'success', run_id: runs[0]?.id });
    expect(result).toMatchObject({ version: 1, pipeline: 'daily', timezone: 'Europe/Berlin', from: '2026-03-26T03:00:00+01:00', rerun: 'missing' });
  });
});

describe('backfillInstants', () => {
  const schedule = backfillSchedule(pipeline);

  test('both ends are included', () => {
    const times = backfillInstants(schedule, 'Europe/Berlin', new Date('2026-03-26T02:00:00Z'), new Date('2026-03-29T01:00:00Z'));
    expect(times.map((time) => time.toISOString())).toEqual(instants.map((time) => time.toISOString()));
  });

  test('more than the limit is refused, naming where the first batch ends', () => {
    const every = parseSchedule('* * * * *');
    expect(() => backfillInstants(every, 'UTC', new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:10:00Z'), 5)).toThrow(
      '"* * * * *" fires more than 5 times from 2026-01-01T00:00:00+00:00 to 2026-01-01T00:10:00+00:00',
    );
    expect(backfillInstants(every, 'UTC', new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:04:00Z'), 5)).toHaveLength(5);
  });

  test('a pipeline without a schedule, or with @reboot, has nothing to backfill', () => {
    const none = normalizePipeline({ tasks: { a: { run: 'true' } } }, '/srv/adhoc.flow.yaml', 'yaml');
    expect(() => backfillSchedule(none)).toThrow('pipeline "adhoc" has no schedule, so it has no dates to backfill');
    const reboot = normalizePipeline({ schedule: '@reboot', tasks: { a: { run: 'true' } } }, '/srv/boot.flow.yaml', 'yaml');
    expect(() => backfillSchedule(reboot)).toThrow('pipeline "boot" runs @reboot, which has no dates to backfill');
  });
});
