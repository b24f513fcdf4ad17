import { chownSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture } from '../helpers/flow.js';
import { api, apiReady, raw, socketOf } from '../helpers/api.js';
import { runsOf, startDaemon, stopDaemon } from '../helpers/daemon.js';

const QUICK = 'tasks:\n  a:\n    run: echo "hello $FLOW_TRIGGER"\n';
const FAILS = 'tasks:\n  a:\n    run: exit 3\n';
// The task's child ignores SIGTERM and writes its pid; only the group SIGKILL after kill_grace ends it.
const STUBBORN = "defaults:\n  kill_grace: 1s\ntasks:\n  a:\n    run: sh -c 'trap \"\" TERM; echo $$ > ../grandchild.pid; while :; do sleep 0.1; done'\n";

describe('the control API and flow trigger / stop', () => {
  test('with no daemon, flow trigger says so in one line and points to flow run', async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK });
    const result = await f.flow(['trigger', 'quick']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^flow: no daemon runs for FLOW_HOME \S+: nothing can start quick in the background\n {2}run it in the foreground with `flow run quick`/);
    expect(result.stdout).toBe('');
  });

  test('trigger starts a run at once, recorded as trigger api; --wait returns its exit code', async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK, 'pipelines/fails.flow.yaml': FAILS });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    expect(statSync(socketOf(f)).mode & 0o777).toBe(0o600);
    expect(statSync(f.home).mode & 0o777).toBe(0o700);
    const asked = Date.now();
    const ok = await f.flow(['trigger', 'quick', '--wait']);
    expect(ok.stderr).toMatch(/run \S+ of quick: success/);
    expect(ok.code).toBe(0);
    const answered = Date.now();
    const failed = await f.flow(['trigger', 'fails', '--wait']);
    expect(failed.code).toBe(1);
    const quick = (await runsOf(f, 'quick'))[0];
    expect(quick?.trigger).toBe('api');
    // Started by the trigger, while it waited: an order, which holds however loaded the machine is. The latency
    // itself is a figure for `npm run bench`.
    expect(Date.parse(quick?.started_at ?? '')).toBeGreaterThanOrEqual(asked);
    expect(Date.parse(quick?.started_at ?? '')).toBeLessThanOrEqual(answered);
    const log = readFileSync(quick?.tasks[0]?.attempts[0]?.log ?? '', 'utf8');
    expect(log).toBe('hello api\n');
    const plain = await f.flow(['trigger', 'quick']);
    expect(plain.stdout).toMatch(/^\d{8}T\d{6}\.\d{3}Z-[0-9a-z]{6}\n$/);
    const unknown = await f.flow(['trigger', 'quik']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^flow: the daemon has no pipeline "quik" \(did you mean "quick"\?\)/);
    expect(await stopDaemon(daemon)).toBe(0);
    expect(existsSync(socketOf(f))).toBe(false);
  });

  test('with a daemon running, flow retry is run by the daemon and followed to its end', async () => {
    const f = fixture({ 'pipelines/flaky.flow.yaml': 'tasks:\n  a:\n    run: test -f ../fixed\n' });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    expect((await f.flow(['trigger', 'flaky', '--wait'])).code).toBe(1);
    const [failed] = await runsOf(f, 'flaky');
    f.write({ fixed: '' });
    const retried = await f.flow(['retry', (failed?.id ?? '').slice(0, 22)]);
    expect(retried.stdout).toMatch(new RegExp(`^retrying run ${failed?.id ?? ''} of flaky in the daemon \\(logical date \\S+\\): a\\n`));
    expect(retried.code).toBe(0);
    const [after] = await runsOf(f, 'flaky');
    expect(after?.status).toBe('success');
    expect(daemon.stdout).toMatch(/fired flaky \(api\)/);
    expect(await stopDaemon(daemon)).toBe(0);
  });

  test('stop ends a run whose grandchild ignores SIGTERM: recorded cancelled, no process left', async () => {
    const f = fixture({ 'pipelines/stubborn.flow.yaml': STUBBORN });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    const started = await f.flow(['trigger', 'stubborn']);
    const runId = started.stdout.trim();
    await eventually('the grandchild to start', () => existsSync(f.path('grandchild.pid')));
    const pid = Number(readFileSync(f.path('grandchild.pid'), 'utf8'));
    const stopped = await f.flow(['stop', runId.slice(0, 22)]);
    expect(stopped.stderr).toBe('');
    expect(stopped.stdout).toBe(`run ${runId} of stubborn: cancelled (the daemon ended it)\n`);
    expect(stopped.code).toBe(0);
    await eventually('the grandchild to be gone', () => !alive(pid));
    const run = (await runsOf(f, 'stubborn'))[0];
    expect(run?.status).toBe('cancelled');
    const again = await f.flow(['stop', runId]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^flow: run ${runId} of stubborn already ended: cancelled at \\S+\\n$`));
    expect(daemon.child.exitCode).toBe(null);
    expect(await stopDaemon(daemon)).toBe(0);
  });

  test('stop of a foreground flow run signals its owner, which records the cancel', async () => {
    const f = fixture({ 'pipelines/stubborn.flow.yaml': STUBBORN });
    const run = f.start(['run', 'stubborn']);
    await eventually('the grandchild to start', () => existsSync(f.path('grandchild.pid')));
    const stopped = await f.flow(['stop', 'stubborn']);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/^run \S+ of stubborn: cancelled \(sent SIGTERM to its owner, pid \d+\)\n$/);
    const ended = await run.exited;
    expect(ended.code).toBe(143);
    expect((await runsOf(f, 'stubborn'))[0]?.status).toBe('cancelled');
    const none = await f.flow(['stop', 'stubborn']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^flow: no run of stubborn is running\n/);
    const typo = await f.flow(['stop', 'stubbron']);
    expect(typo.stderr).toMatch(/^flow: unknown pipeline "stubbron" \(did you mean "stubborn"\?\)/);
  });

  test('a run id prefix that matches several runs lists them', async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK });
    for (let i = 0; i < 2; i++) expect((await f.flow(['run', 'quick'])).code).toBe(0);
    const [first] = await runsOf(f, 'quick');
    const shown = await f.flow(['stop', (first?.id ?? '').slice(0, 9)]);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toMatch(/^flow: run id prefix "\S+" matches 2 runs: \S+ \(quick\), \S+ \(quick\)\n {2}give more of the id\n$/);
  });

  test('a socket left by a daemon killed with SIGKILL reads as no daemon, and the next daemon removes it', async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK });
    const first = startDaemon(f);
    await apiReady(first);
    first.signal('SIGKILL');
    await first.exited;
    expect(existsSync(socketOf(f))).toBe(true);
    const result = await f.flow(['trigger', 'quick']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^flow: no daemon runs for FLOW_HOME \S+ \(its socket was left by a daemon that died; the next `flow daemon` removes it\)/);
    const second = startDaemon(f);
    await apiReady(second);
    expect(second.stdout).toMatch(/removed a socket left by a daemon that died/);
    expect((await f.flow(['trigger', 'quick', '--wait'])).code).toBe(0);
    expect(await stopDaemon(second)).toBe(0);
  });

  test.skipIf(process.getuid?.() !== 0)("a socket owned by another user is refused", async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK });
    await f.flow(['history']);
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(socketOf(f), resolve));
    chownSync(socketOf(f), 65534, 65534);
    try {
      const result = await f.flow(['trigger', 'quick']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^flow: \S+daemon\.sock belongs to uid 65534\b.*, not to you: flow does not talk to another user's socket\n/);
    } finally {
      server.close();
    }
  });

  test('200 malformed requests get 4xx JSON answers and leave the daemon serving', async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    const bad: [string, string, string | undefined][] = [
      ['POST', '/api/v1/pipelines/quick/trigger', '{not json'],
      ['POST', '/api/v1/pipelines/quick/trigger', '[1,2]'],
      ['POST', '/api/v1/pipelines/quick/trigger', '{"date": 5}'],
      ['POST', '/api/v1/pipelines/quick/trigger', '{"date": "yesterday"}'],
      ['POST', '/api/v1/pipelines/quick/trigger', '{"nope": true}'],
      ['POST', '/api/v1/pipelines/nope/trigger', '{}'],
      ['GET', '/api/v1/runs?limit=-1', undefined],
      ['GET', '/api/v1/runs?status=weird', undefined],
      ['GET', '/api/v1/runs/zzz', undefined],
      ['POST', '/api/v1/runs/2026/stop', '"x"'],
      ['GET', '/api/v1/runs/x/tasks/y/log?offset=-3', undefined],
      ['DELETE', '/api/v1/pipelines', undefined],
      ['GET', '/api/v2/pipelines', undefined],
      ['GET', '/api/v1/pipelines/%E0%A4%A', undefined],
    ];
    for (let i = 0; i < 200; i++) {
      const [method, path, body] = bad[i % bad.length] as [string, string, string | undefined];
      if (i % 20 === 19) {
        await raw(f, i % 40 === 19 ? 'GARBAGE \x00\x01\x02 not http\r\n\r\n' : 'POST /api/v1/pipelines/quick/trigger HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"da');
        continue;
      }
      const answer = await api(f, method, path, body, { 'content-type': 'application/json' });
      expect(answer.status, `${method} ${path} ${body ?? ''}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path} ${body ?? ''}`).toBeLessThan(500);
      expect((answer.body as { error: { message: string } }).error.message).toMatch(/\S/);
    }
    const health = await api(f, 'GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect((await f.flow(['trigger', 'quick', '--wait'])).code).toBe(0);
    expect(daemon.child.exitCode).toBe(null);
    expect(daemon.stdout).not.toMatch(/API .* failed/);
    expect(await stopDaemon(daemon)).toBe(0);
  });

  test('GET /api/v1/events streams the run and task events of the daemon runs', async () => {
    const f = fixture({ 'pipelines/quick.flow.yaml': QUICK });
    const daemon = startDaemon(f);
    await apiReady(daemon);
    const { request } = await import('node:http');
    let text = '';
    const req = request({ socketPath: socketOf(f), path: '/api/v1/events?pipeline=quick' });
    const subscribed = new Promise<void>((resolve) =>
      req.on('response', (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        res.setEncoding('utf8').on('data', (chunk: string) => {
          text += chunk;
          if (text.includes(': subscribed')) resolve();
        });
      }),
    );
    req.end();
    await subscribed;
    const runId = (await f.flow(['trigger', 'quick'])).stdout.trim();
    await eventually('the run-finished event', () => text.includes('event: run-finished'));
    req.destroy();
    const kinds = [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
    expect(kinds).toEqual(['run-started', 'task-started', 'attempt-finished', 'task-finished', 'run-finished']);
    const finished = JSON.parse(/event: run-finished\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as { run_id: string; status: string };
    expect(finished).toMatchObject({ run_id: runId, status: 'success' });
    expect(await stopDaemon(daemon)).toBe(0);
  });
});
