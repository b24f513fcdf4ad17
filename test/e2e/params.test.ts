import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { apiReady } from '../helpers/api.js';
import { runsOf, startDaemon, stopDaemon } from '../helpers/daemon.js';

const PARAMS = `params:
  region: {type: string, enum: [eu, us], default: eu, description: where to load}
  count: {type: number, default: 2}
  dry: {type: boolean, default: false}
tasks:
  a:
    run: echo "region=$FLOW_PARAM_REGION count=$FLOW_PARAM_COUNT dry=$FLOW_PARAM_DRY" >> ../seen; test -f ../fail && exit 1; true
`;

describe('params', () => {
  test('reach tasks only as FLOW_PARAM_<NAME>, are recorded, shown, and re-used by retry', async () => {
    const f = fixture({ 'pipelines/par.flow.yaml': PARAMS, fail: '' });
    const ran = await f.flow(['run', 'par', '--param', 'region=us', '--param', 'count=5']);
    expect(ran.code).toBe(1);
    const [run] = await runsOf(f, 'par');
    const record = JSON.parse((await f.flow(['show', run?.id ?? '', '--json'])).stdout) as { params: Record<string, unknown> };
    expect(record.params).toEqual({ region: 'us', count: 5, dry: false });
    expect((await f.flow(['show', run?.id ?? ''])).stdout).toContain('params region="us", count=5, dry=false');
    const { rmSync } = await import('node:fs');
    rmSync(f.path('fail'));
    expect((await f.flow(['retry', run?.id ?? ''])).code).toBe(0);
    expect(readFileSync(f.path('seen'), 'utf8')).toBe('region=us count=5 dry=false\nregion=us count=5 dry=false\n');
  });

  test('wrong values are refused in one line naming the param, on run, backfill and trigger', async () => {
    const f = fixture({ 'pipelines/par.flow.yaml': PARAMS });
    const cases: [string[], RegExp][] = [
      [['--param', 'regoin=us'], /^flow: param "regoin": par has no such param \(did you mean "region"\?\)\n {2}its params: region, count, dry\n$/],
      [['--param', 'count=many'], /^flow: param "count": expected a number, got "many"\n$/],
      [['--param', 'dry=yes'], /^flow: param "dry": expected true or false, got "yes"\n$/],
      [['--param', 'region=asia'], /^flow: param "region": "asia" is not one of eu, us\n$/],
      [['--param', 'region'], /^flow: --param: "region" is not NAME=VALUE\n/],
    ];
    for (const [args, message] of cases) {
      const result = await f.flow(['run', 'par', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    const backfill = await f.flow(['backfill', 'par', '--from', '2026-01-01', '--to', '2026-01-02', '--param', 'count=x']);
    expect(backfill.code).toBe(2);
    expect(backfill.stderr).toMatch(/^flow: param "count": expected a number, got "x"\n$/);
    expect(await runsOf(f, 'par')).toEqual([]);

    const daemon = startDaemon(f);
    await apiReady(daemon);
    const refused = await f.flow(['trigger', 'par', '--param', 'region=asia']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^flow: param "region": "asia" is not one of eu, us\n$/);
    const ok = await f.flow(['trigger', 'par', '--param', 'dry=true', '--wait']);
    expect(ok.code).toBe(0);
    expect(readFileSync(f.path('seen'), 'utf8')).toBe('region=eu count=2 dry=true\n');
    expect(await stopDaemon(daemon)).toBe(0);
  });

  test('a default that does not fit its type is a validation problem at its line', async () => {
    const f = fixture({ 'pipelines/bad.flow.yaml': 'params:\n  n:\n    type: number\n    default: lots\ntasks:\n  a:\n    run: "true"\n' });
    const result = await f.flow(['validate']);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/bad\.flow\.yaml:4:\d+: params\.n\.default: expected a number, as the param's type says/);
  });
});
