import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eventually, fixture } from '../helpers/flow.js';
import { runsOf, startDaemon, stopDaemon } from '../helpers/daemon.js';

interface SlaRun {
  id: string;
  status: string;
  reason?: string;
  logical_date: string;
  ended_at: string | null;
  sla_misses?: { deadline: string; task: string | null; due: string; seen_at: string }[];
  hooks: { event: string; error: string | null }[];
}

const fileText = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

describe('deadlines (sla)', () => {
  test('a scheduled run that misses finish_within fires on_sla_miss once, at the deadline, and records every miss', async () => {
    const f = fixture({
      'pipelines/p.flow.yaml': `
schedule: "*/3 * * * * *"
sla: { finish_within: 1s }
on_sla_miss: echo "$FLOW_RUN_ID $FLOW_SLA_DEADLINE task=$FLOW_SLA_TASK" >> ../sla.txt
tasks:
  slow:
    run: sleep 2.5
    sla: { finish_within: 1s }
`,
    });
    const daemon = startDaemon(f);
    // The hook speaks while the run still goes: the deadline, not the run's end, sets it off.
    await daemon.waitFor('a miss while the run goes', () => fileText(f.path('sla.txt')) !== '');
    const [runId] = fileText(f.path('sla.txt')).split(' ');
    await daemon.waitFor('the run to end', (out) => new RegExp(`run ${runId ?? 'x'} of p success`).test(out.stdout));
    expect(await stopDaemon(daemon)).toBe(0);

    const run = JSON.parse((await f.flow(['show', runId ?? '', '--json'])).stdout) as SlaRun;
    expect(run.status).toBe('success');
    expect(run.sla_misses?.map((miss) => `${miss.deadline}:${miss.task ?? 'run'}`).sort()).toEqual(['finish_within:run', 'finish_within:slow']);
    expect(run.hooks.filter((hook) => hook.event === 'on_sla_miss')).toHaveLength(1);
    // Seen at the deadline, before the run ended.
    for (const miss of run.sla_misses ?? []) expect(Date.parse(miss.seen_at)).toBeLessThan(Date.parse(run.ended_at ?? ''));
    expect(fileText(f.path('sla.txt')).split('\n').filter((line) => line.startsWith(runId ?? 'x'))).toHaveLength(1);
    const shown = await f.flow(['show', runId ?? '']);
    expect(shown.stdout).toMatch(/SLA: run missed finish_within \(due \S+\), seen/);
    const history = await f.flow(['history', 'p']);
    expect(history.stdout).toMatch(/success \(SLA missed\)/);
  });

  test('an instant skipped because the previous run still went counts as a missed start', async () => {
    const f = fixture({
      'pipelines/p.flow.yaml': `
schedule: "*/2 * * * * *"
sla: { start_within: 30s }
on_sla_miss: echo "$FLOW_SLA_DEADLINE" >> ../sla.txt
tasks:
  slow:
    run: sleep 5
`,
    });
    const daemon = startDaemon(f);
    await daemon.waitFor('a skipped instant', (out) => /skipped p for/.test(out.stdout));
    await eventually('its missed start to be recorded', () => fileText(f.path('sla.txt')).includes('start_within'));
    expect(await stopDaemon(daemon)).toBe(0);
    const skipped = (await runsOf(f, 'p')).find((run) => run.status === 'skipped') as unknown as SlaRun | undefined;
    expect(skipped?.sla_misses?.[0]).toMatchObject({ deadline: 'start_within', task: null });
  });

  test('instants that passed while the daemon was down count as missed starts when it next sees them; on_sla_miss fires once', async () => {
    const f = fixture({
      'pipelines/p.flow.yaml': `
schedule: "0 0 * * *"
timezone: UTC
sla: { start_within: 5m }
on_sla_miss: echo "$FLOW_SLA_DEADLINE also=$FLOW_SLA_ALSO_MISSED" >> ../sla.txt
tasks:
  a:
    run: "true"
`,
    });
    const today = new Date();
    today.setUTCHours(0, 0, 0, 0);
    mkdirSync(f.home, { recursive: true });
    // Last handled three days before today's midnight: three midnights went by unrun.
    writeFileSync(f.path('.flow-home', 'daemon-state.json'), JSON.stringify({ version: 1, boot_id: null, pipelines: { p: { last_instant: new Date(today.getTime() - 3 * 86_400_000).toISOString() } } }));
    const daemon = startDaemon(f);
    await daemon.waitFor('the missed line', (out) => /missed p: 3 instants/.test(out.stdout));
    await eventually('the hook', () => fileText(f.path('sla.txt')) !== '');
    await daemon.waitFor('the log of it', (out) => /p: 3 missed starts \(sla\), on_sla_miss fired once/.test(out.stdout));
    expect(await stopDaemon(daemon)).toBe(0);
    expect(fileText(f.path('sla.txt'))).toBe('start_within also=2\n');
    const runs = (await runsOf(f, 'p')) as unknown as SlaRun[];
    expect(runs).toHaveLength(3);
    for (const run of runs) {
      expect(run.status).toBe('skipped');
      expect(run.reason).toBe('missed while the daemon was down');
      expect(run.sla_misses).toHaveLength(1);
    }
    expect(runs.map((run) => Date.parse(run.logical_date))).toEqual([3, 2, 1].map((days) => today.getTime() - (days - 1) * 86_400_000).sort((a, b) => a - b));
  });

  test('a manual run keeps no deadline', async () => {
    const f = fixture({ 'p.flow.yaml': 'sla: { finish_within: 1ms }\non_sla_miss: touch ../sla.txt\ntasks:\n  a:\n    run: sleep 0.5\n' });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as SlaRun).sla_misses).toBeUndefined();
  });
});
