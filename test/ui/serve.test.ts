import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { apiReady } from '../helpers/api.js';
import { runsOf, stopDaemon } from '../helpers/daemon.js';
import { eventually, fixture, type Fixture, type Running } from '../helpers/flow.js';
import { readStream } from '../helpers/ui.js';

const PIPELINE = 'schedule: "0 0 1 1 *"\ntasks:\n  a:\n    run: echo hi\n';

async function listening(running: Running): Promise<{ url: string }> {
  await running.waitFor('the web UI to listen and say how to log in', (out) => /web UI on http:\/\/[\d.]+:\d+/.test(out.stdout) && /log in (at|with) .*\n/.test(out.stdout));
  const url = /web UI on (http:\/\/[\d.]+:\d+)/.exec(running.stdout)?.[1] as string;
  return { url };
}

function tokenOf(f: Fixture): string {
  expect(statSync(f.path('.flow-home', 'ui-token')).mode & 0o777).toBe(0o600);
  return readFileSync(f.path('.flow-home', 'ui-token'), 'utf8').trim();
}

function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) } };
}

describe('flow ui', () => {
  it('with no daemon: prints the login URL once, reads the store, pauses, and refuses run now in one sentence', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': PIPELINE });
    const first = f.start(['ui', '--listen', '127.0.0.1:0']);
    const { url } = await listening(first);
    expect(first.stdout).toMatch(/log in at http:\/\/127\.0\.0\.1:\d+\/ui\/login\?token=[\w-]{43} /);
    const token = tokenOf(f);
    expect(first.stdout).toContain(token);
    const page = await fetch(`${url}/`, bearer(token));
    const html = await page.text();
    expect(html).toContain('No daemon runs for this FLOW_HOME');
    expect(html).toContain('data-pipeline="etl"');
    const trigger = await fetch(`${url}/api/v1/pipelines/etl/trigger`, bearer(token, { method: 'POST', body: '{}' }));
    expect(trigger.status).toBe(503);
    expect(((await trigger.json()) as { error: { message: string } }).error.message).toBe('no daemon runs for this FLOW_HOME: flow ui cannot start a run by itself');
    const pause = await fetch(`${url}/api/v1/pipelines/etl/pause`, bearer(token, { method: 'POST' }));
    expect(pause.status).toBe(200);
    expect((await f.flow(['status', '--json'])).stdout).toContain('"etl"');
    first.signal('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = f.start(['ui', '--listen', '127.0.0.1:0', '--read-only']);
    await listening(second);
    expect(second.stdout).not.toContain(token);
    expect(second.stdout).toContain('log in with the token in');
    second.signal('SIGTERM');
    await second.exited;
  });

  it('with a daemon started after it: run now goes to the daemon, and its events reach the UI stream', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': PIPELINE });
    // flow ui first: it must find the daemon's socket when it appears, and follow its events from then on.
    const ui = f.start(['ui', '--listen', '127.0.0.1:0']);
    const { url } = await listening(ui);
    const daemon = f.start(['daemon', '--dir', f.path('pipelines')]);
    try {
      await apiReady(daemon);
      const token = tokenOf(f);
      await ui.waitFor('flow ui to follow the daemon', (out) => out.stdout.includes("following the daemon's runs"));
      const stream = await fetch(`${url}/ui/events?topic=pipelines`, bearer(token));
      expect(stream.status).toBe(200);
      let triggered = false;
      const text = await readStream(stream, 'run-finished of the triggered run', (so) => {
        if (so.includes('event: hello') && !triggered) {
          triggered = true;
          void fetch(`${url}/ui/pipelines/etl/trigger`, bearer(token, { method: 'POST', headers: { 'x-flow-client': '1' } }));
        }
        return so.includes('"event":"run-finished"');
      });
      expect(text).toContain('"event":"run-started"');
      await eventually('the run recorded with trigger api', async () => (await runsOf(f, 'etl')).some((run) => run.trigger === 'api' && run.status === 'success'));
    } finally {
      ui.signal('SIGTERM');
      await ui.exited;
      await stopDaemon(daemon);
    }
  });
});

describe('flow daemon --ui', () => {
  it('warns to put TLS in front when listening beyond loopback, and schedules on when the port is taken', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': PIPELINE });
    const wide = f.start(['daemon', '--dir', f.path('pipelines'), '--ui', '--listen', '0.0.0.0:0']);
    await wide.waitFor('the TLS warning', (out) => out.stderr.includes('put a TLS proxy in front'));
    await stopDaemon(wide);

    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const daemon = f.start(['daemon', '--dir', f.path('pipelines'), '--ui', '--listen', `127.0.0.1:${port}`]);
      await daemon.waitFor('the no-UI warning', (out) => out.stderr.includes('flow: warning: no web UI: cannot serve the web UI on 127.0.0.1:'));
      await apiReady(daemon);
      expect(daemon.stderr).not.toContain('    at ');
      expect(await stopDaemon(daemon)).toBe(0);
    } finally {
      taken.close();
    }
  });

  it('flow daemon --ui --read-only refuses changes over TCP, and the socket still takes them', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': PIPELINE });
    const daemon = f.start(['daemon', '--dir', f.path('pipelines'), '--ui', '--listen', '127.0.0.1:0', '--read-only']);
    const { url } = await listening(daemon);
    expect(daemon.stdout).toContain('(read-only)');
    const pause = await fetch(`${url}/api/v1/pipelines/etl/pause`, bearer(tokenOf(f), { method: 'POST' }));
    expect(pause.status).toBe(403);
    await apiReady(daemon);
    expect((await f.flow(['pause', 'etl'])).code).toBe(0);
    expect(await stopDaemon(daemon)).toBe(0);
  });

  it('refuses a --listen that is not an address, in one line', async () => {
    const f = fixture({ 'pipelines/etl.flow.yaml': PIPELINE });
    const result = await f.flow(['daemon', '--dir', f.path('pipelines'), '--ui', '--listen', 'nowhere']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('flow: --listen: "nowhere" is not an address to listen on (write 127.0.0.1:8484, [::1]:8484 or 8484)');
  });
});
