import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture } from '../helpers/flow.js';
import { count, daemonLog, runsOf, startDaemon, stopDaemon } from '../helpers/daemon.js';

const TICK = 'schedule: "*/2 * * * * *"\ntasks:\n  a:\n    run: echo "$FLOW_LOGICAL_DATE $FLOW_TRIGGER" >> ../fired.txt\n';

describe('flow daemon', () => {
  test('fires on the instants of a seconds schedule, with their logical dates, never before them', async () => {
    const f = fixture({ 'pipelines/tick.flow.yaml': TICK });
    const daemon = startDaemon(f);
    await daemon.waitFor('four runs', (out) => count(out.stdout, /run \S+ of tick success/) >= 4);
    expect(await stopDaemon(daemon)).toBe(0);
    const runs = (await runsOf(f, 'tick')).filter((run) => run.status !== 'running');
    expect(runs.length).toBeGreaterThanOrEqual(4);
    const latencies: number[] = [];
    for (const [index, run] of runs.entries()) {
      const instant = Date.parse(run.logical_date);
      expect(run.trigger).toBe('schedule');
      expect(instant % 2000).toBe(0);
      if (index > 0) expect(instant - Date.parse(runs[index - 1]?.logical_date ?? '')).toBe(2000);
      latencies.push(Date.parse(run.started_at) - instant);
    }
    // How soon after its instant a run starts is a figure of `npm run bench` (daemon fire latency); here, only
    // that no run starts before its instant.
    for (const latency of latencies) expect(latency).toBeGreaterThanOrEqual(0);
    const fired = readFileSync(f.path('fired.txt'), 'utf8').trim().split('\n');
    expect(fired[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d[02468]\+00:00 schedule$/);
    expect(daemonLog(f)).toMatch(/fired tick \(schedule\) for \S+: run \S+, \d+ ms after its instant/);
  });

  test('overlap: skip never runs two at once and records the skipped instants', async () => {
    const f = fixture({
      'pipelines/slow.flow.yaml': 'schedule: "* * * * * *"\ntasks:\n  a:\n    run: date +%s%N >> ../starts; sleep 2.5; date +%s%N >> ../ends\n',
    });
    const daemon = startDaemon(f);
    await daemon.waitFor('two finished runs', (out) => count(out.stdout, /run \S+ of slow success/) >= 2);
    expect(await stopDaemon(daemon)).toBe(0);
    const starts = readFileSync(f.path('starts'), 'utf8').trim().split('\n').map(BigInt);
    const ends = readFileSync(f.path('ends'), 'utf8').trim().split('\n').map(BigInt);
    for (let i = 1; i < starts.length; i++) expect((starts[i] ?? 0n) >= (ends[i - 1] ?? 0n)).toBe(true);
    const runs = await runsOf(f, 'slow');
    const skipped = runs.filter((run) => run.status === 'skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(skipped[0]?.reason).toMatch(/^run \S+ is still going \(overlap: skip\)$/);
    expect(daemonLog(f)).toMatch(/skipped slow for \S+: run \S+ is still going \(overlap: skip\)/);
  });

  test('overlap: queue lets one instant wait and runs it after', async () => {
    const f = fixture({
      'pipelines/q.flow.yaml': 'schedule: "*/2 * * * * *"\noverlap: queue\ntasks:\n  a:\n    run: echo "$FLOW_LOGICAL_DATE" >> ../ran; sleep 3\n',
    });
    const daemon = startDaemon(f);
    await daemon.waitFor('a queued instant', (out) => /queued q for/.test(out.stdout));
    await daemon.waitFor('the queued run to start', (out) => count(out.stdout, /fired q/) >= 2);
    expect(await stopDaemon(daemon)).toBe(0);
    const log = daemonLog(f);
    const queued = /queued q for (\S+):/.exec(log)?.[1];
    expect(log).toContain(`fired q (schedule) for ${queued ?? ''}`);
  });

  test('a changed file reloads; a broken one keeps its last good version and is reported', async () => {
    const f = fixture({ 'pipelines/tick.flow.yaml': TICK });
    const daemon = startDaemon(f);
    await daemon.waitFor('a first run', (out) => /run \S+ of tick success/.test(out.stdout));
    writeFileSync(f.path('pipelines', 'tick.flow.yaml'), TICK.replace('>> ../fired.txt', '>> ../changed.txt'));
    await daemon.waitFor('the reload', (out) => /reloaded: 1 scheduled pipeline\(s\) .* \(changed tick\)/.test(out.stdout));
    await eventually('a run of the new version', () => existsSync(f.path('changed.txt')));

    writeFileSync(f.path('pipelines', 'tick.flow.yaml'), 'schedule: "*/2 * * * * *"\ntasks:\n  a:\n    run: [oops\n');
    await daemon.waitFor('the file error', (out) => /file error: .*tick\.flow\.yaml:4:\d+: YAML syntax.*; keeping the last good version of tick scheduled/.test(out.stdout));
    const before = readFileSync(f.path('changed.txt'), 'utf8').split('\n').length;
    await eventually('the old version to keep running', () => readFileSync(f.path('changed.txt'), 'utf8').split('\n').length > before);
    const list = await f.flow(['list']);
    expect(list.stdout).toMatch(/YAML syntax/);
    const status = await f.flow(['status']);
    expect(status.stdout).toMatch(/tick: .*YAML syntax.*\(its last good version stays scheduled\)/);

    writeFileSync(f.path('pipelines', 'other.flow.yaml'), 'schedule: "@daily"\ntasks:\n  b:\n    run: "true"\n');
    await daemon.waitFor('the new file', (out) => /\(added other\)/.test(out.stdout));
    // That reload still reports the broken file, which did not change (the loader answers it from its last result).
    const lines = daemon.stdout.split('\n');
    expect(lines[lines.findIndex((line) => /\(added other\)/.test(line)) - 1]).toMatch(/file error: .*tick\.flow\.yaml:4:\d+: YAML syntax/);
    expect(await stopDaemon(daemon)).toBe(0);
  });

  test('YAML pipelines (loaded by the loader process) and a TypeScript one with a function task run side by side; a name defined twice is refused', async () => {
    const f = fixture({
      'pipelines/tick.flow.yaml': TICK,
      'pipelines/fn.flow.ts': "import { definePipeline } from 'flow';\nexport default definePipeline({ schedule: '* * * * * *', tasks: { say: { run: (ctx) => ctx.log('from a function') } } });\n",
      'pipelines/twice.flow.yaml': 'name: fn\nschedule: "@daily"\ntasks:\n  a:\n    run: "true"\n',
    });
    const daemon = startDaemon(f);
    await daemon.waitFor('the start', (out) => /started: 2 scheduled/.test(out.stdout));
    await daemon.waitFor('the name defined twice', (out) => /file error: .*twice\.flow\.yaml:1:1: name: pipeline "fn" is also defined in .*fn\.flow\.ts/.test(out.stdout));
    await daemon.waitFor('a run of each', (out) => /run \S+ of tick success/.test(out.stdout) && /run \S+ of fn success/.test(out.stdout));
    expect(await stopDaemon(daemon)).toBe(0);
  });

  test('SIGTERM waits the grace for a running task, then ends its process group and records the run cancelled', async () => {
    const f = fixture({
      'pipelines/long.flow.yaml': 'schedule: "* * * * * *"\ntasks:\n  a:\n    run: trap "" TERM; echo $$ > ../task.pid; sleep 60 & echo $! > ../child.pid; wait\n    kill_grace: 500ms\n',
    });
    const daemon = startDaemon(f, ['--grace', '1s']);
    await eventually('the task to start', () => existsSync(f.path('child.pid')) && readFileSync(f.path('child.pid'), 'utf8').trim() !== '');
    const pids = ['task.pid', 'child.pid'].map((name) => Number(readFileSync(f.path(name), 'utf8')));
    const started = Date.now();
    daemon.signal('SIGTERM');
    const result = await daemon.exited;
    expect(result.code).toBe(0);
    // The grace is waited out (a lower bound holds however loaded the machine); that the task's `sleep 60` was not
    // waited for is shown by the grace-over line and by the processes being gone.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(result.stdout).toMatch(/stopping: waiting up to 1s for 1 run\(s\) to finish[^]*grace over: ending 1 run\(s\)/);
    await eventually('the task group to be gone', () => pids.every((pid) => !alive(pid)));
    const runs = await runsOf(f, 'long');
    expect(runs.filter((run) => run.status !== 'skipped').map((run) => run.status)).toEqual(['cancelled']);
  });

  test('a second daemon on the same FLOW_HOME is refused, naming the running pid', async () => {
    const f = fixture({ 'pipelines/tick.flow.yaml': TICK });
    const daemon = startDaemon(f);
    await daemon.waitFor('the daemon to start', (out) => /started: 1 scheduled/.test(out.stdout));
    const second = await f.flow(['daemon', '--dir', f.path('pipelines')]);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`flow: a daemon already runs for FLOW_HOME \\S+: pid ${daemon.child.pid ?? 0} on `));
    const status = await f.flow(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`daemon running: pid ${daemon.child.pid ?? 0}`));
    expect(await stopDaemon(daemon)).toBe(0);
    expect((await f.flow(['status'])).code).toBe(1);
  });

  test('kill -9 of the daemon: its tasks are ended, the next start marks the run interrupted, and a stale lock is taken over', async () => {
    const f = fixture({
      'pipelines/long.flow.yaml': 'schedule: "* * * * * *"\ntasks:\n  a:\n    run: sh -c "sleep 60 & echo \\$! > ../grandchild.pid; wait" & echo $! > ../child.pid; wait\n',
    });
    const daemon = startDaemon(f);
    await eventually('the task and its child to start', () => existsSync(f.path('grandchild.pid')) && readFileSync(f.path('grandchild.pid'), 'utf8').trim() !== '');
    const pids = ['child.pid', 'grandchild.pid'].map((name) => Number(readFileSync(f.path(name), 'utf8')));
    daemon.signal('SIGKILL');
    await daemon.exited;
    await eventually('no task process left', () => pids.every((pid) => !alive(pid)));
    writeFileSync(f.path('pipelines', 'long.flow.yaml'), 'schedule: "@yearly"\ntasks:\n  a:\n    run: "true"\n');
    const again = startDaemon(f);
    await again.waitFor('the second start', (out) => /started: 1 scheduled/.test(out.stdout));
    // stderr and stdout are separate pipes: the notice may be read after the start line.
    await again.waitFor('the interrupted run notice', (out) => /run \S+ of long was left running by pid \d+, which is gone; marked it interrupted/.test(out.stderr));
    expect(await stopDaemon(again)).toBe(0);
    expect((await runsOf(f, 'long')).filter((run) => run.status !== 'skipped').map((run) => run.status)).toContain('interrupted');
  });

  test('@reboot pipelines run once when the daemon starts, and not again in the same boot', async () => {
    const f = fixture({ 'pipelines/boot.flow.yaml': 'schedule: "@reboot"\ntasks:\n  a:\n    run: echo booted >> ../boot.txt\n' });
    const first = startDaemon(f);
    await first.waitFor('the @reboot run', (out) => /run \S+ of boot success/.test(out.stdout));
    expect(await stopDaemon(first)).toBe(0);
    const second = startDaemon(f);
    await second.waitFor('the second start', (out) => /already ran in this boot/.test(out.stdout));
    expect(await stopDaemon(second)).toBe(0);
    expect(readFileSync(f.path('boot.txt'), 'utf8')).toBe('booted\n');
  });

  test(process.getuid?.() === 0 ? 'as root, runs a pipeline with user: as that user' : 'not as root, refuses a pipeline with user: and says why', async () => {
    const f = fixture({ 'pipelines/as.flow.yaml': 'schedule: "* * * * * *"\nuser: nobody\ntasks:\n  a:\n    run: id -un\n    cwd: /\n' });
    const daemon = startDaemon(f);
    if (process.getuid?.() === 0) {
      await daemon.waitFor('a run', (out) => /run \S+ of as success/.test(out.stdout));
      expect(await stopDaemon(daemon)).toBe(0);
      expect((await f.flow(['logs', 'a'])).stdout).toBe('nobody\n');
    } else {
      await daemon.waitFor('the refusal', (out) => /file error: .*only root can run tasks as another user; not scheduled/.test(out.stdout));
      expect(await stopDaemon(daemon)).toBe(0);
    }
  });
});
