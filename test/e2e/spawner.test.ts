import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture, type Fixture } from '../helpers/flow.js';
import { apiReady } from '../helpers/api.js';
import { runsOf, startDaemon, stopDaemon } from '../helpers/daemon.js';
import { testCgroup } from '../helpers/cgroup.js';

const cgroup = testCgroup();

// The task says who started it: its parent's command line.
const PARENT = 'tasks:\n  a:\n    run: tr "\\\\0" " " < /proc/$PPID/cmdline > ../parent.$FLOW_RUN_ID; echo started\n';
const SLEEPS = 'tasks:\n  a:\n    run: echo $$ > ../sleeper.pid; exec sleep 600\n';

/** Runs `parent` until a run's task was started by a spawner (one boots while the first tasks start in the daemon); that run's id. */
async function untilSpawned(f: Fixture): Promise<string> {
  let id = '';
  await eventually('a task started by a spawner', async () => {
    expect((await f.flow(['trigger', 'parent', '--wait'])).code).toBe(0);
    id = (await runsOf(f, 'parent')).at(-1)?.id ?? '';
    return /spawner/.test(readFileSync(f.path(`parent.${id}`), 'utf8'));
  });
  return id;
}

/** The daemon's spawners: its children running as flow-spawner. */
function spawnersOf(daemon: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x').split(' ');
        return Number(stat[3]) === daemon && /spawner/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("the daemon's tasks start from its spawner", () => {
  test('a run of the daemon starts its task from the spawner, a flow run from itself; output and exit code as ever', async () => {
    const f = fixture({ 'pipelines/parent.flow.yaml': PARENT });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    const id = await untilSpawned(f);
    const log = await f.flow(['logs', id]);
    expect(log.stdout).toMatch(/started/);
    await stopDaemon(daemon);
    const direct = await f.flow(['run', 'pipelines/parent.flow.yaml']);
    expect(direct.code).toBe(0);
    const last = (await runsOf(f, 'parent')).at(-1);
    expect(readFileSync(f.path(`parent.${last?.id ?? ''}`), 'utf8')).not.toMatch(/spawner/);
  });

  test('sixteen tasks of a run at once: no warning about listeners, from the daemon or from flow run', async () => {
    // All 16 run at once: each waits until every one has started.
    const wait = 'while [ $(ls ../started.* | wc -l) -lt 16 ]; do sleep 0.05; done';
    const wide = `concurrency: 16\ntasks:\n${Array.from({ length: 16 }, (_, i) => `  t${i}:\n    run: touch ../started.${i}; ${wait}\n`).join('')}`;
    const f = fixture({ 'pipelines/wide.flow.yaml': wide });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    expect((await f.flow(['trigger', 'wide', '--wait'])).code).toBe(0);
    const [run] = await runsOf(f, 'wide');
    expect(run?.tasks.filter((task) => task.status === 'success')).toHaveLength(16);
    await stopDaemon(daemon);
    const { stdout, stderr } = await daemon.exited;
    expect(`${stdout}${stderr}`).not.toMatch(/MaxListenersExceeded|Warning/);
    // The same in a terminal.
    for (let i = 0; i < 16; i++) rmSync(f.path(`started.${i}`));
    const direct = await f.flow(['run', 'pipelines/wide.flow.yaml']);
    expect(direct.code).toBe(0);
    expect(direct.stderr).not.toMatch(/MaxListenersExceeded|Warning/);
  });

  test("a task's environment through the spawner is exactly its own: flow's, the pipeline's, or only its own", async () => {
    const show = 'run: env | grep -E "^(KEEP|CHANGE|ADDED)=" | sort > ../env.$FLOW_PIPELINE';
    const f = fixture({
      'pipelines/inherits.flow.yaml': `env:\n  CHANGE: by-pipeline\n  ADDED: new\ntasks:\n  a:\n    ${show}\n`,
      'pipelines/alone.flow.yaml': `inherit_env: false\nenv:\n  ADDED: only\ntasks:\n  a:\n    ${show}\n`,
      'pipelines/parent.flow.yaml': PARENT,
    });
    const daemon = startDaemon(f, [], { env: { KEEP: 'from-flow', CHANGE: 'from-flow' } });
    await apiReady(daemon);
    await untilSpawned(f);
    for (const name of ['inherits', 'alone']) expect((await f.flow(['trigger', name, '--wait'])).code).toBe(0);
    expect(readFileSync(f.path('env.inherits'), 'utf8')).toBe('ADDED=new\nCHANGE=by-pipeline\nKEEP=from-flow\n');
    expect(readFileSync(f.path('env.alone'), 'utf8')).toBe('ADDED=only\n');
    await stopDaemon(daemon);
  });

  test('a backlog of starts on the spawner starts a second one, on a machine with two cores', async () => {
    const n = 80;
    const wait = `while [ $(ls ../started.* | wc -l) -lt ${n} ]; do sleep 0.1; done`;
    const wide = `concurrency: ${n}\ntasks:\n${Array.from({ length: n }, (_, i) => `  t${i}:\n    run: echo $PPID > ../started.${i}; ${wait}\n`).join('')}`;
    const f = fixture({ 'pipelines/wide.flow.yaml': wide, 'pipelines/parent.flow.yaml': PARENT });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    await untilSpawned(f);
    expect((await f.flow(['trigger', 'wide', '--wait'])).code).toBe(0);
    const parents = new Set(Array.from({ length: n }, (_, i) => readFileSync(f.path(`started.${i}`), 'utf8').trim()));
    for (const parent of parents) expect(readFileSync(`/proc/${parent}/cmdline`, 'utf8')).toMatch(/spawner/);
    // More than 32 starts waited on the first: a second one was started.
    expect(spawnersOf(daemon.child.pid ?? 0)).toHaveLength(availableParallelism() >= 2 ? 2 : 1);
    await stopDaemon(daemon);
  });

  test('a spawner killed mid-task: the task is killed and failed with the reason, and the next run gets a new spawner', async () => {
    const f = fixture({ 'pipelines/sleeps.flow.yaml': SLEEPS, 'pipelines/parent.flow.yaml': PARENT });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    await untilSpawned(f);
    expect((await f.flow(['trigger', 'sleeps'])).code).toBe(0);
    await eventually('the task to start', () => existsSync(f.path('sleeper.pid')));
    const sleeper = Number(readFileSync(f.path('sleeper.pid'), 'utf8'));
    const spawner = Number(/^\S+\s+\S+\s+\S+\s+(\d+)/.exec(readFileSync(`/proc/${sleeper}/stat`, 'utf8').replace(/\(.*\)/, 'x'))?.[1]);
    expect(readFileSync(`/proc/${spawner}/cmdline`, 'utf8')).toMatch(/spawner/);
    process.kill(spawner, 'SIGKILL');
    await eventually('the run to fail', async () => (await runsOf(f, 'sleeps'))[0]?.status === 'failed');
    await eventually('the task to be gone', () => !alive(sleeper));
    const shown = await f.flow(['show', 'sleeps']);
    expect(shown.stdout).toMatch(/spawner \(pid \d+\) ended while the task ran; the task was killed/);
    await untilSpawned(f);
    await stopDaemon(daemon);
  });

  test('a spawner with nothing to do ends, and the next task finds a new one', async () => {
    const f = fixture({ 'pipelines/parent.flow.yaml': PARENT });
    const daemon = startDaemon(f, [], { env: { FLOW_SPAWNER_IDLE_MS: '300' } });
    await apiReady(daemon);
    await untilSpawned(f);
    await eventually('the idle spawner to end', () => spawnersOf(daemon.child.pid ?? 0).length === 0);
    await untilSpawned(f);
    await stopDaemon(daemon);
  });

  test.runIf(cgroup !== undefined)('with a cgroup of its own: a task the spawner started runs in its attempt cgroup, and a timeout ends what escaped it', async () => {
    const escaping = "tasks:\n  a:\n    run: cat /proc/self/cgroup > ../cgroup.txt; setsid sh -c 'echo $$ > ../escaped.pid; exec env -i sleep 300' & sleep 300\n    timeout: 5s\n    kill_grace: 1s\n";
    const f = fixture({ 'pipelines/escapes.flow.yaml': escaping, 'pipelines/parent.flow.yaml': PARENT });
    const daemon = startDaemon(f, [], { env: { FLOW_CGROUP: cgroup ?? '' } });
    await apiReady(daemon);
    await untilSpawned(f);
    expect((await f.flow(['trigger', 'escapes', '--wait'])).code).toBe(1);
    expect(readFileSync(f.path('cgroup.txt'), 'utf8')).toMatch(new RegExp(`/flow-${daemon.child.pid ?? 0}\\.\\d+/\\d+\\n`));
    const pid = Number(readFileSync(f.path('escaped.pid'), 'utf8').trim());
    await eventually(`the escaped process ${pid} to end`, () => !alive(pid));
    await stopDaemon(daemon);
  });

  test.runIf(process.getuid?.() === 0)('as root, a task with user: starts from the spawner as that user', async () => {
    const f = fixture({
      'pipelines/nobody.flow.yaml': 'user: nobody\ntasks:\n  who:\n    run: id -un; tr "\\0" " " < /proc/$PPID/cmdline\n    cwd: /\n',
      'pipelines/parent.flow.yaml': PARENT,
    });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    await untilSpawned(f);
    expect((await f.flow(['trigger', 'nobody', '--wait'])).code).toBe(0);
    const [run] = await runsOf(f, 'nobody');
    const log = readFileSync(run?.tasks[0]?.attempts[0]?.log ?? '', 'utf8').split('\n');
    expect(log[0]).toBe('nobody');
    expect(log[1]).toMatch(/spawner/);
    await stopDaemon(daemon);
  });
});
