/**
 * Tasks that escape the process group and clear their environment (`setsid … env -i`) are still ended where flow
 * has a cgroup of its own (FLOW_CGROUP); without one, flow keeps to process groups and the watchdog.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture } from '../helpers/flow.js';
import { testCgroup } from '../helpers/cgroup.js';

const cgroup = testCgroup();

// A timeout of 5 s leaves a loaded machine time to start the escaping child before the task is ended.
const ESCAPING = `
tasks:
  a:
    run: setsid sh -c 'echo $$ > escaped.pid; exec env -i sleep 300' & sleep 300
    timeout: 5s
    kill_grace: 1s
`;

function escapedPid(dir: string): number {
  return Number(readFileSync(join(dir, 'escaped.pid'), 'utf8').trim());
}

function pidFileReady(dir: string): boolean {
  try {
    return escapedPid(dir) > 0;
  } catch {
    return false;
  }
}

describe.runIf(cgroup !== undefined)('with a cgroup of its own', () => {
  test('a timeout ends what left the process group and cleared its environment', async () => {
    const f = fixture({ 't.flow.yaml': ESCAPING });
    const run = await f.flow(['run', 't.flow.yaml'], { env: { FLOW_CGROUP: cgroup ?? '' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('timed out after 5s');
    const pid = escapedPid(f.dir);
    await eventually(`the escaped process ${pid} to end`, () => !alive(pid));
  });

  test('a runner killed together with its watchdog: the next command ends its cgroups', async () => {
    const f = fixture({ 't.flow.yaml': ESCAPING.replace('    timeout: 5s\n', '') });
    const running = f.start(['run', 't.flow.yaml'], { env: { FLOW_CGROUP: cgroup ?? '' } });
    await eventually('the task to start its escaping child', () => pidFileReady(f.dir));
    const pid = escapedPid(f.dir);
    const runner = running.child.pid ?? 0;
    // The watchdog is the shell whose arguments name this runner's token.
    const watchdogs = readdirSync('/proc').filter((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        return argv.includes('flow-watchdog') && argv.some((arg) => arg.startsWith(`${runner}.`));
      } catch {
        return false;
      }
    });
    expect(watchdogs.length).toBe(1);
    for (const watchdog of watchdogs) process.kill(Number(watchdog), 'SIGKILL');
    running.signal('SIGKILL');
    await running.exited;
    expect(alive(pid)).toBe(true);
    const history = await f.flow(['history'], { env: { FLOW_CGROUP: cgroup ?? '' } });
    expect(history.code).toBe(0);
    await eventually(`the escaped process ${pid} to end`, () => !alive(pid));
    expect(readdirSync(cgroup ?? '').filter((name) => name.startsWith(`flow-${runner}.`))).toEqual([]);
  });
});

test('the systemd unit delegates its cgroup to flow and says so', async () => {
  const f = fixture();
  const unit = await f.flow(['daemon', '--print-systemd-unit']);
  expect(unit.code).toBe(0);
  expect(unit.stdout).toContain('\nDelegate=yes\n');
  expect(unit.stdout).toContain('\nEnvironment=FLOW_CGROUP=auto\n');
});

describe('without one', () => {
  test('a FLOW_CGROUP that is not usable falls back to process groups', async () => {
    const f = fixture({ 't.flow.yaml': 'tasks:\n  a:\n    run: echo fine\n' });
    const run = await f.flow(['run', 't.flow.yaml'], { env: { FLOW_CGROUP: f.path('no-such-cgroup') } });
    expect(run.code).toBe(0);
  });

  test('a timeout still ends the whole process group', async () => {
    const f = fixture({ 't.flow.yaml': "tasks:\n  a:\n    run: sh -c 'echo $$ > child.pid; exec sleep 300' & sleep 300\n    timeout: 5s\n    kill_grace: 1s\n" });
    const run = await f.flow(['run', 't.flow.yaml']);
    expect(run.code).toBe(1);
    const pid = Number(readFileSync(f.path('child.pid'), 'utf8').trim());
    await eventually(`the child ${pid} to end`, () => !alive(pid));
  });
});
