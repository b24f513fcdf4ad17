/**
 * MAILTO as the job's hooks (src/crontab/mail.ts): when cron mailed, to whom, and the hook itself, run with a
 * stand-in sendmail and mail(1) that record what they were given.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMailer, mailPlan, type Mailer } from '../../../src/crontab/mail.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-mail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const owner = { name: 'alice', uid: 1000, home: '/home/alice' };
const job = (env: Record<string, string>, command = '/bin/job', mailOnFailureOnly = false) => ({ env, command, mailOnFailureOnly });

/** A stand-in mailer that writes its arguments, one a line, then a blank line and its input. */
function recorder(name: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n{ for arg in "$@"; do printf '%s\\n' "$arg"; done; echo; cat; } > "${file}.out"\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Runs the hook as flow does, with the attempt's log in FLOW_LOG_FILE. */
function runHook(hook: string | undefined, log: string): void {
  if (hook === undefined) throw new Error('no hook');
  const file = join(dir, 'job.1.log');
  writeFileSync(file, log);
  execFileSync('/bin/sh', ['-c', hook], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FLOW_PIPELINE: 'nightly', FLOW_STATUS: 'success', FLOW_RUN_ID: 'r-42', FLOW_LOG_FILE: file },
  });
}

const host = execFileSync('uname', ['-n'], { encoding: 'utf8' }).trim().split('.')[0] ?? '';
const tricky = `echo 'it'"'"'s' "$HOME" \`date\` > /dev/null; exit 3`;

describe('when cron mailed', () => {
  const mailer: Mailer = { kind: 'sendmail', path: '/usr/sbin/sendmail' };
  it('to MAILTO, to the owner without it, to nobody with it empty or unsafe', () => {
    expect(mailPlan(job({ MAILTO: 'ops@example.com' }), owner, mailer).note).toBe(
      'cron mailed the output to ops@example.com whenever the job printed something; so does flow (on_success and on_failure, nothing when the log is empty).',
    );
    expect(mailPlan(job({ MAILTO: 'ops@example.com' }), owner, mailer).events).toEqual(['on_success', 'on_failure']);
    expect(mailPlan(job({}), owner, mailer).note).toBe('cron mailed the output to alice (the owner: MAILTO is unset) whenever the job printed something; so does flow (on_success and on_failure, nothing when the log is empty).');
    const dashN = mailPlan(job({}, '/bin/job', true), owner, mailer);
    expect(dashN.note).toBe('cron mailed the output to alice (the owner: MAILTO is unset) when the job failed and printed something (-n); flow mails the log when the job failed and printed something (on_failure).');
    expect(dashN.events).toEqual(['on_failure']);
    expect(mailPlan(job({}), owner, mailer, true).events).toEqual(['on_failure']);
    expect(mailPlan(job({ MAILTO: '' }), owner, mailer)).toEqual({ hook: undefined, events: [], note: 'MAILTO is empty: cron mailed nothing, and neither does flow.' });
    expect(mailPlan(job({ MAILTO: 'ops@example.com # on-call' }), owner, mailer).hook).toBeUndefined();
    expect(mailPlan(job({ MAILTO: '-oQ/tmp x' }), owner, mailer).hook).toBeUndefined();
    expect(mailPlan(job({ MAILTO: '$LOGNAME@example.com' }), owner, mailer).note).toBe(
      'MAILTO="$LOGNAME@example.com" names variables, which cron expanded from its own environment; add an on_success and on_failure hook with the address.',
    );
    expect(mailPlan(job({ MAILTO: 'ops@example.com' }), owner, undefined)).toEqual({
      hook: undefined,
      events: [],
      note: 'cron mailed the output to ops@example.com whenever the job printed something; this system has neither sendmail nor mail, so add an on_success and on_failure hook yourself.',
    });
  });

  it('finds sendmail first, then mail on PATH', () => {
    const has = (files: string[]) => (file: string) => files.includes(file);
    expect(findMailer('/usr/bin:/bin', has(['/usr/sbin/sendmail', '/usr/bin/mail']))).toEqual({ kind: 'sendmail', path: '/usr/sbin/sendmail' });
    expect(findMailer('/opt/bin:/usr/bin', has(['/usr/bin/sendmail', '/opt/bin/mail']))).toEqual({ kind: 'sendmail', path: '/usr/bin/sendmail' });
    expect(findMailer('/opt/bin:/usr/bin', has(['/usr/bin/mailx']))).toEqual({ kind: 'mail', path: '/usr/bin/mailx' });
    expect(findMailer(undefined, has([]))).toBeUndefined();
  });
});

describe('the hook', () => {
  it("hands sendmail a message with cron's subject and the whole log as its body, whatever the command holds", () => {
    const path = recorder('sendmail');
    runHook(mailPlan(job({ MAILTO: 'dev@example.com,ops@example.com' }, tricky), owner, { kind: 'sendmail', path }).hook, 'line 1\nline 2\n');
    expect(readFileSync(`${path}.out`, 'utf8')).toBe(['-i', '-t', '', 'To: dev@example.com,ops@example.com', `Subject: Cron <alice@${host}> ${tricky}`, '', 'line 1', 'line 2', ''].join('\n'));
  });

  it('hands mail(1) the subject and each address as arguments', () => {
    const path = recorder('mail');
    runHook(mailPlan(job({ MAILTO: 'dev@example.com,ops@example.com' }, tricky), owner, { kind: 'mail', path }).hook, 'alert\n');
    expect(readFileSync(`${path}.out`, 'utf8')).toBe(['-s', `Cron <alice@${host}> ${tricky}`, 'dev@example.com', 'ops@example.com', '', 'alert', ''].join('\n'));
  });

  it('sends nothing when the job printed nothing, as cron', () => {
    const path = recorder('quiet');
    runHook(mailPlan(job({ MAILTO: 'ops@example.com' }), owner, { kind: 'sendmail', path }).hook, '');
    expect(() => readFileSync(`${path}.out`, 'utf8')).toThrow();
  });

  it('is a few readable lines', () => {
    const hook = mailPlan(job({ MAILTO: 'ops@example.com' }, '/usr/local/bin/backup.sh'), owner, { kind: 'sendmail', path: '/usr/sbin/sendmail' }).hook ?? '';
    expect(hook.split('\n').length).toBeGreaterThan(4);
    for (const line of hook.split('\n')) expect(line.length).toBeLessThan(160);
  });
});
