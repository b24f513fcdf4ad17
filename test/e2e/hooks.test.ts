import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture } from '../helpers/flow.js';
import { captureServer } from '../helpers/capture-server.js';

interface Hook {
  event: string;
  task: string | null;
  source: string;
  exit_code: number | null;
  timed_out: boolean;
  error: string | null;
  duration_ms: number;
}
interface Run {
  id: string;
  status: string;
  hooks: Hook[];
}

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('hooks', () => {
  test('on_failure gets the context in its environment and the last 100 log lines on stdin', async () => {
    const f = fixture({
      'p.flow.yaml': `
on_failure: env | grep '^FLOW_' | sort > run.env; cat > run.tail
tasks:
  ok:
    run: "true"
  load:
    run: seq 1 150; echo "boom" >&2; exit 3
    on_failure: env | grep '^FLOW_' | sort > task.env; cat > task.tail
`,
    });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as Run;
    const env = (file: string) => Object.fromEntries(lines(readFileSync(f.path(file), 'utf8')).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
    const task = env('task.env');
    expect(task).toMatchObject({
      FLOW_EVENT: 'on_failure',
      FLOW_PIPELINE: 'p',
      FLOW_RUN_ID: run.id,
      FLOW_TASK: 'load',
      FLOW_ATTEMPT: '1',
      FLOW_STATUS: 'failed',
      FLOW_EXIT_CODE: '3',
      FLOW_SIGNAL: '',
      FLOW_ERROR: 'exit code 3',
      FLOW_TRIGGER: 'manual',
    });
    expect(task.FLOW_LOG_FILE).toMatch(/load\.1\.log$/);
    expect(Number(task.FLOW_DURATION_MS)).toBeGreaterThanOrEqual(0);
    expect(task.FLOW_LOGICAL_DATE).toMatch(/^\d{4}-\d\d-\d\dT/);
    const tail = lines(readFileSync(f.path('task.tail'), 'utf8'));
    expect(tail).toHaveLength(100);
    expect(tail[0]).toBe('52');
    expect(tail.at(-1)).toBe('boom');
    expect(env('run.env')).toMatchObject({ FLOW_EVENT: 'on_failure', FLOW_STATUS: 'failed', FLOW_FAILED_TASKS: 'load', FLOW_TASK: 'load', FLOW_EXIT_CODE: '3' });
    expect(readFileSync(f.path('run.tail'), 'utf8')).toBe(readFileSync(f.path('task.tail'), 'utf8'));
    // The task's hook and the run's hook belong to different events and may run at once: the record lists them as
    // they ended, so only which hooks ran is checked here, not their order.
    const hooks = run.hooks.map((hook) => [hook.event, hook.source, hook.task, hook.exit_code]);
    expect(hooks).toHaveLength(2);
    expect(hooks).toEqual(expect.arrayContaining([
      ['on_failure', 'task', 'load', 0],
      ['on_failure', 'pipeline', null, 0],
    ]));
  });

  test('on_retry fires once per retried attempt; success and start hooks once each', async () => {
    const f = fixture({
      'p.flow.yaml': `
on_start: echo run-start >> fired
on_success: echo run-success >> fired
on_retry: echo "run-retry $FLOW_TASK $FLOW_ATTEMPT" >> fired
tasks:
  flaky:
    run: n=$(cat n 2>/dev/null || echo 0); echo $((n+1)) > n; [ $n -ge 2 ]
    retries: 3
    retry_delay: 10ms
    on_start: echo "task-start $FLOW_TASK" >> fired
    on_retry: echo "task-retry $FLOW_ATTEMPT $FLOW_EXIT_CODE" >> fired
    on_success: echo "task-success $FLOW_TASK $FLOW_ATTEMPT" >> fired
  other:
    run: "true"
    depends_on: [flaky]
    on_success: echo "task-success $FLOW_TASK" >> fired
`,
    });
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(0);
    expect(lines(readFileSync(f.path('fired'), 'utf8')).sort()).toEqual(
      ['run-start', 'task-start flaky', 'task-retry 1 1', 'run-retry flaky 1', 'task-retry 2 1', 'run-retry flaky 2', 'task-success flaky 3', 'task-success other', 'run-success'].sort(),
    );
  });

  test('the global config sets hooks for every pipeline', async () => {
    const f = fixture({
      'config.yaml': 'on_failure: echo "global $FLOW_PIPELINE $FLOW_ERROR" >> global.txt\non_success: echo "ok $FLOW_PIPELINE" >> global.txt\n',
      'pipelines/bad.flow.yaml': 'tasks:\n  a:\n    run: exit 2\n',
      'pipelines/good.flow.yaml': 'on_success: echo "own $FLOW_PIPELINE" >> global.txt\ntasks:\n  a:\n    run: "true"\n',
    });
    const env = { FLOW_CONFIG: f.path('config.yaml') };
    expect((await f.flow(['run', 'bad'], { env })).code).toBe(1);
    expect((await f.flow(['run', 'good'], { env })).code).toBe(0);
    expect(lines(readFileSync(f.path('pipelines', 'global.txt'), 'utf8'))).toEqual(['global bad exit code 2', 'own good', 'ok good']);
  });

  test('a hook that hangs is ended at hook_timeout, leaves nothing behind, and the run is still recorded failed', async () => {
    const f = fixture({
      // 5 s leaves a loaded machine time to start the hook's shell before it is ended.
      'p.flow.yaml': 'hook_timeout: 5s\non_failure: echo $$ > hook.pid; sleep 300\ntasks:\n  a:\n    run: exit 1\n',
    });
    const started = Date.now();
    // The hook sleeps 300 s, longer than the command may take: that the run finishes at all shows the hook was
    // ended. The lower bound shows hook_timeout was waited out; it holds however loaded the machine is.
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_000);
    const run = JSON.parse(result.stdout) as Run;
    expect(run.status).toBe('failed');
    expect(run.hooks[0]).toMatchObject({ event: 'on_failure', timed_out: true, error: 'timed out after 5s' });
    expect(result.stderr).toContain('flow: hook on_failure of the pipeline failed: timed out after 5s');
    const pid = Number(readFileSync(f.path('hook.pid'), 'utf8'));
    await eventually('the hook to be gone', () => !alive(pid));
    const shown = await f.flow(['show', run.id]);
    expect(shown.stdout).toMatch(/on_failure \(pipeline\)\s+timed out: timed out after 5s/);
  });

  test("a failing hook is recorded and one line on stderr, and never changes the run's exit code", async () => {
    const f = fixture({ 'p.flow.yaml': 'on_success: echo "no mail server" >&2; exit 7\ntasks:\n  a:\n    run: "true"\n' });
    const result = await f.flow(['run', 'p.flow.yaml', '--json']);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as Run;
    expect(run.status).toBe('success');
    expect(run.hooks[0]).toMatchObject({ event: 'on_success', exit_code: 7, error: 'no mail server' });
    expect(result.stderr.trim()).toBe('flow: hook on_success of the pipeline failed: no mail server');
    const history = JSON.parse((await f.flow(['history', '--json'])).stdout) as Run[];
    expect(history[0]?.hooks[0]?.exit_code).toBe(7);
  });

  test('flow hooks test fires the hooks with a sample context', async () => {
    const f = fixture({
      'pipelines/p.flow.yaml': 'on_failure: echo "$FLOW_EVENT $FLOW_PIPELINE $FLOW_STATUS $FLOW_EXIT_CODE $FLOW_TASK" > ../test.txt; cat >> ../test.txt\ntasks:\n  load:\n    run: "true"\n    on_retry: echo "retry $FLOW_TASK $FLOW_ATTEMPT" > ../retry.txt\n',
    });
    const result = await f.flow(['hooks', 'test', 'p']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('hook on_failure of the pipeline: ok');
    const text = lines(readFileSync(f.path('test.txt'), 'utf8'));
    expect(text[0]).toBe('on_failure p failed 1 load');
    expect(text).toContain('this is a test of flow hooks');
    expect((await f.flow(['hooks', 'test', 'p', '--task', 'load', '--event', 'on_retry'])).code).toBe(0);
    expect(readFileSync(f.path('retry.txt'), 'utf8')).toBe('retry load 1\n');
    const none = await f.flow(['hooks', 'test', 'p', '--event', 'on_start']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no on_start hooks are set');
    // no run was recorded
    expect(existsSync(f.path('.flow-home', 'runs', 'p'))).toBe(false);
  });

  test('a config file with a mistake is reported at its line', async () => {
    const f = fixture({ 'config.yaml': 'on_failur: mail root\nhook_timeout: 30\n', 'p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n' });
    const result = await f.flow(['run', 'p.flow.yaml'], { env: { FLOW_CONFIG: f.path('config.yaml') } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('config.yaml:1:1: on_failur: unknown key "on_failur" (did you mean "on_failure"?)');
    expect(result.stderr).toContain('config.yaml:2:15: hook_timeout: expected a duration such as 30s, got 30');
  });
});

describe('README recipes, with local stand-ins', () => {
  test('mail: the log tail is the body', async () => {
    const f = fixture({
      'bin/mail': '#!/bin/sh\nprintf "%s\\n" "$@" > "$MAILBOX.args"; cat > "$MAILBOX.body"\n',
      'p.flow.yaml': `
on_failure: 'mail -s "flow: $FLOW_PIPELINE failed on $(hostname)" root'
tasks:
  backup:
    run: echo "disk full" >&2; exit 1
`,
    });
    chmodSync(f.path('bin', 'mail'), 0o755);
    const env = { PATH: `${f.path('bin')}:${process.env.PATH ?? ''}`, MAILBOX: f.path('mailbox') };
    expect((await f.flow(['run', 'p.flow.yaml'], { env })).code).toBe(1);
    expect(lines(readFileSync(f.path('mailbox.args'), 'utf8'))).toEqual(['-s', expect.stringMatching(/^flow: p failed on \S+$/) as string, 'root']);
    expect(readFileSync(f.path('mailbox.body'), 'utf8')).toBe('disk full\n');
  });

  test('sendmail: a message with a subject, the log tail as body', async () => {
    const f = fixture({
      'bin/sendmail': '#!/bin/sh\nprintf "%s\\n" "$@" > "$MAILBOX.args"; cat > "$MAILBOX.message"\n',
      'p.flow.yaml': `
on_failure: '{ printf "Subject: flow: %s failed: %s\\n\\n" "$FLOW_PIPELINE" "$FLOW_ERROR"; cat; } | sendmail root'
tasks:
  backup:
    run: echo "disk full"; exit 1
`,
    });
    chmodSync(f.path('bin', 'sendmail'), 0o755);
    const env = { PATH: `${f.path('bin')}:${process.env.PATH ?? ''}`, MAILBOX: f.path('mailbox') };
    expect((await f.flow(['run', 'p.flow.yaml'], { env })).code).toBe(1);
    expect(readFileSync(f.path('mailbox.args'), 'utf8')).toBe('root\n');
    expect(readFileSync(f.path('mailbox.message'), 'utf8')).toBe('Subject: flow: p failed: exit code 1\n\ndisk full\n');
  });

  test('a Slack-style webhook, ntfy, and a healthchecks.io-style ping', async () => {
    const server = await captureServer();
    try {
      const f = fixture({
        'p.flow.yaml': `
env:
  SLACK_WEBHOOK_URL: ${server.url}/slack
  NTFY_URL: ${server.url}/ntfy/ops-alerts
  HC_PING_URL: ${server.url}/hc/1234
on_failure:
  - >-
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.stringify({text:"flow: "+process.env.FLOW_PIPELINE+" failed: "+process.env.FLOW_ERROR+"\\n"+s})))'
    | curl -fsS -H 'Content-Type: application/json' --data-binary @- "$SLACK_WEBHOOK_URL"
  - 'curl -fsS -H "Title: flow: $FLOW_PIPELINE failed" --data-binary @- "$NTFY_URL"'
  - curl -fsS -m 10 --retry 3 --data-binary @- "$HC_PING_URL/fail"
on_success: curl -fsS -m 10 --retry 3 "$HC_PING_URL"
tasks:
  load:
    run: echo 'rows "quoted" & done'; exit \${FAIL:-0}
`,
      });
      expect((await f.flow(['run', 'p.flow.yaml'], { env: { FAIL: '0' } })).code).toBe(0);
      expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /hc/1234']);
      expect((await f.flow(['run', 'p.flow.yaml'], { env: { FAIL: '5' } })).code).toBe(1);
      const [slack, ntfy, hc] = server.requests.slice(1);
      expect(slack?.url).toBe('/slack');
      expect(JSON.parse(slack?.body ?? '')).toEqual({ text: 'flow: p failed: exit code 5\nrows "quoted" & done\n' });
      expect(ntfy).toMatchObject({ url: '/ntfy/ops-alerts', body: 'rows "quoted" & done\n' });
      expect(ntfy?.headers.title).toBe('flow: p failed');
      expect(hc).toMatchObject({ method: 'POST', url: '/hc/1234/fail', body: 'rows "quoted" & done\n' });
    } finally {
      await server.close();
    }
  });
});
