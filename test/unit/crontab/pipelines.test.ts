/**
 * From crontab lines to pipeline files: names, the environment cron gave each job, its input, shell, working
 * directory, zone, user and MAILTO hook; each schedule firing at the instants of its line; and files in the way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importCrontabCommand } from '../../../src/cli/commands/import-crontab.js';
import { parseCrontab, planImport, type Account, type ImportPlan, type ParsedCrontab } from '../../../src/crontab/index.js';
import { nextFireTimes, parseSchedule } from '../../../src/schedule/index.js';
import { systemTimeZone } from '../../../src/util/timezone.js';
import { FIXTURES, capture, readExpected } from './helpers.js';

interface Generated {
  name: string;
  schedule: string;
  timezone?: string;
  user?: string;
  inherit_env: boolean;
  env: Record<string, string>;
  tasks: { job: { run: string; stdin?: string; shell?: string; cwd?: string; on_success?: string; on_failure?: string } };
}

const alice: Account = { name: 'alice', uid: 1000, home: '/home/alice' };
const ACCOUNTS = new Map<string, Account>([
  ['root', { name: 'root', uid: 0, home: '/root' }],
  ['www-data', { name: 'www-data', uid: 33, home: '/var/www' }],
  ['postgres', { name: 'postgres', uid: 26, home: '/var/lib/pgsql' }],
]);
const sendmail = { kind: 'sendmail', path: '/usr/sbin/sendmail' } as const;

function read(name: string, kind: 'user' | 'system' = 'user'): ParsedCrontab {
  return parseCrontab({ name, kind, text: readFileSync(join(FIXTURES, name), 'utf8') }, { privileged: name === 'root.crontab' });
}

function plan(crontabs: ParsedCrontab[], options: { existing?: Record<string, string>; mailer?: typeof sendmail | undefined } = {}): ImportPlan {
  return planImport(crontabs, {
    dir: '/pipelines',
    owner: alice,
    accounts: ACCOUNTS,
    mailer: 'mailer' in options ? options.mailer : sendmail,
    existing: (file) => options.existing?.[file],
  });
}

const generated = (result: ImportPlan): Generated[] => result.pipelines.map((pipeline) => parse(pipeline.text) as Generated);

describe('a user crontab', () => {
  const result = plan([read('user-app.crontab')]);
  const files = generated(result);

  it('names each pipeline from its command, and writes it to NAME.flow.yaml', () => {
    expect(result.pipelines.map((pipeline) => [pipeline.job.line, pipeline.name, pipeline.file])).toEqual([
      [8, 'healthcheck', '/pipelines/healthcheck.flow.yaml'],
      [9, 'backup', '/pipelines/backup.flow.yaml'],
      [10, 'find', '/pipelines/find.flow.yaml'],
      [11, 'start-worker', '/pipelines/start-worker.flow.yaml'],
      [12, 'php-artisan-report-send', '/pipelines/php-artisan-report-send.flow.yaml'],
      [14, 'monthly-invoice', '/pipelines/monthly-invoice.flow.yaml'],
    ]);
    expect(files.map((file) => file.name)).toEqual(result.pipelines.map((pipeline) => pipeline.name));
    expect(result.pipelines.every((pipeline) => pipeline.state === 'new')).toBe(true);
  });

  it('gives each job cron\'s environment: the crontab\'s assignments, then SHELL, HOME and PATH unless set, then LOGNAME and USER', () => {
    expect(files[0]?.inherit_env).toBe(false);
    expect(files[0]?.env).toEqual({
      MAILTO: 'ops@example.com # on-call',
      SHELL: '/bin/bash',
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/srv/alice',
      GREETING: '  hello  world  ',
      LOGNAME: 'alice',
      USER: 'alice',
    });
    expect(files[5]?.env.MAILTO).toBe('');
  });

  it('runs the command with the crontab\'s SHELL, in HOME, at the line\'s schedule, and exit 99 fails as under cron', () => {
    expect(files.map((file) => [file.schedule, file.tasks.job])).toEqual([
      ['*/5 * * * *', { run: '/usr/local/bin/healthcheck.sh >> /var/log/healthcheck.log 2>&1', shell: '/bin/bash', cwd: '/srv/alice', skip_exit_code: false }],
      ['30 2 * * *', { run: 'flock -n /tmp/backup.lock /usr/local/bin/backup.sh --full', shell: '/bin/bash', cwd: '/srv/alice', skip_exit_code: false }],
      ['@daily', { run: 'find /tmp/uploads -mtime +7 -delete', shell: '/bin/bash', cwd: '/srv/alice', skip_exit_code: false }],
      ['@reboot', { run: '/usr/local/bin/start-worker.sh', shell: '/bin/bash', cwd: '/srv/alice', skip_exit_code: false }],
      ['0 9 * * mon-fri', { run: 'cd /srv/app && php artisan report:send   ', shell: '/bin/bash', cwd: '/srv/alice', skip_exit_code: false }],
      ['15 3 1 * *', { run: '/usr/local/bin/monthly-invoice.sh', shell: '/bin/bash', cwd: '/srv/alice', skip_exit_code: false }],
    ]);
    expect(files.some((file) => file.timezone !== undefined || file.user !== undefined)).toBe(false);
  });

  it('adds no mail hook where cron mailed nothing: an address it finds unsafe, or MAILTO=""', () => {
    expect(files.map((file) => file.tasks.job.on_failure ?? file.tasks.job.on_success)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    const text = result.pipelines[0]?.text ?? '';
    expect(text.split('\n').slice(0, 4)).toEqual([
      '# Imported by `flow import-crontab` from user-app.crontab, line 8:',
      '#   */5 * * * * /usr/local/bin/healthcheck.sh >> /var/log/healthcheck.log 2>&1',
      '# cron mailed nothing: it refuses MAILTO="ops@example.com # on-call" as unsafe (it takes letters,',
      '# digits and @!:%-.,_+ only).',
    ]);
    expect(result.pipelines[5]?.text).toContain('# MAILTO is empty: cron mailed nothing, and neither does flow.');
  });

  it('keeps the % input, and the default shell and PATH when the crontab sets none', () => {
    const percent = generated(plan([read('percent.crontab')]));
    const expected = readExpected('percent').jobs;
    expect(percent.map((file) => file.tasks.job.stdin)).toEqual(expected.map((job) => job.stdin ?? undefined));
    expect(percent.map((file) => file.tasks.job.run)).toEqual(expected.map((job) => job.command));
    expect(percent[0]?.env).toEqual({ SHELL: '/bin/sh', HOME: '/home/alice', PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LOGNAME: 'alice', USER: 'alice' });
    expect(percent[0]?.tasks.job.shell).toBeUndefined();
    expect(percent.map((file) => file.name)).toEqual(['date', 'mail', 'cat', 'sort', 'echo', 'tr', 'cat-2', 'wc', 'printf']);
  });

  it('takes CRON_TZ as the pipeline\'s zone and TZ as an ordinary variable', () => {
    const zones = generated(plan([read('cron-tz.crontab')]));
    expect(zones.map((file) => [file.timezone, file.env.TZ, file.env.CRON_TZ])).toEqual([
      ['America/New_York', undefined, 'America/New_York'],
      ['America/New_York', 'Europe/Paris', 'America/New_York'],
      ['Asia/Kolkata', 'Europe/Paris', 'Asia/Kolkata'],
      [undefined, 'Europe/Paris', ''],
      ['Australia/Lord_Howe', 'Europe/Paris', ':Australia/Lord_Howe'],
      ['UTC', 'Europe/Paris', 'UTC'],
    ]);
  });
});

describe('system crontabs', () => {
  const crontabs = ['crontab', 'cron.d/0hourly', 'cron.d/app-backup', 'cron.d/certbot', 'cron.d/php-sessionclean', 'cron.d/sysstat'].map((file) =>
    parseCrontab({ name: `etc/${file}`, kind: 'system', text: readFileSync(join(FIXTURES, 'system', 'etc', file), 'utf8') }),
  );
  const result = plan(crontabs);
  const files = generated(result);

  it('runs each job as the user of its line, with that user\'s HOME and names', () => {
    expect(files.map((file) => [file.name, file.user, file.env.HOME, file.env.LOGNAME, file.tasks.job.cwd])).toEqual([
      ['run-parts-cron-hourly', 'root', '/root', 'root', '/root'],
      ['run-parts-cron-daily', 'root', '/root', 'root', '/root'],
      ['run-parts-cron-weekly', 'root', '/root', 'root', '/root'],
      ['run-parts-cron-monthly', 'root', '/root', 'root', '/root'],
      ['php-cron', 'www-data', '/var/www', 'www-data', '/var/www'],
      ['mount-extra', 'root', '/root', 'root', '/root'],
      ['run-parts-cron-hourly-2', 'root', '/root', 'root', '/root'],
      ['pg_dump', 'postgres', '/var/lib/pgsql', 'postgres', '/var/lib/pgsql'],
      ['certbot', 'root', '/root', 'root', '/root'],
      ['sessionclean', 'root', '/root', 'root', '/root'],
      ['debian-sa1', 'root', '/root', 'root', '/root'],
      ['debian-sa1-2', 'root', '/root', 'root', '/root'],
    ]);
  });

  it('refuses a job whose user does not exist: cron loads it but cannot run it', () => {
    expect(result.errors).toEqual([
      { file: 'etc/crontab', line: 12, message: 'a system crontab line names a user, then the command; found only "/usr/local/bin/forgot-the-user" (cron: bad command)' },
      { file: 'etc/cron.d/app-backup', line: 4, message: 'user "nobody-here" does not exist: cron loads the line but cannot run it' },
    ]);
  });

  it('mails MAILTO, or the user of the line when MAILTO is unset, whenever the job printed something, as cron', () => {
    const hooks = files.map((file) => file.tasks.job.on_failure);
    expect(hooks[0]).toBe(
      [
        '# cron mails whatever the job printed (crontab(5)); an empty log sends nothing.',
        '[ -s "$FLOW_LOG_FILE" ] || exit 0',
        '{',
        "  printf 'To: %s\\n' 'root'",
        `  printf 'Subject: %s\\n\\n' "$(printf 'Cron <%s@%s> %s' 'root' "$(uname -n | cut -d. -f1)" 'cd / && run-parts --report /etc/cron.hourly')"`,
        '  cat "$FLOW_LOG_FILE"',
        "} | '/usr/sbin/sendmail' -i -t",
        '',
      ].join('\n'),
    );
    expect(files.map((file) => file.tasks.job.on_success)).toEqual(hooks);
    expect(hooks[7]).toContain(`printf 'To: %s\\n' 'dba@example.com,ops@example.com'`);
    expect(hooks[7]).toContain(`'postgres' "$(uname -n | cut -d. -f1)"`);
    expect(hooks[8]).toContain(`printf 'To: %s\\n' 'root'`);
    expect(result.pipelines[8]?.text).toContain('# cron mailed the output to root (the owner: MAILTO is unset) whenever the job printed something;');
    expect(result.pipelines[7]?.text).toContain('# The line starts with "-": cron did not log the command to syslog.');
  });
});

describe('each schedule', () => {
  const sources: [string, 'user' | 'system'][] = [['user-app', 'user'], ['percent', 'user'], ['cron-tz', 'user'], ['crlf', 'user'], ['root', 'user']];
  const starts = ['2026-01-01T00:00:00Z', '2026-03-07T12:00:00Z', '2026-03-28T12:00:00Z', '2026-10-03T12:00:00Z', '2026-10-31T12:00:00Z'].map((iso) => new Date(iso));

  it.each(sources)('of %s fires at the instants of its line', (name, kind) => {
    const result = planImport([read(`${name}.crontab`, kind)], { dir: '/p', owner: { ...alice, uid: 0 }, accounts: ACCOUNTS, mailer: undefined, existing: () => undefined });
    const expected = readExpected(name).jobs;
    expect(result.pipelines).toHaveLength(expected.length);
    result.pipelines.forEach((pipeline, index) => {
      const line = expected[index];
      const file = parse(pipeline.text) as Generated;
      if (line === undefined) throw new Error(`no expected job for ${pipeline.name}`);
      expect(file.schedule).toBe(line.schedule);
      if (line.schedule === '@reboot') return;
      const lineZone = line.timezone === null || line.timezone === '' ? systemTimeZone() : line.timezone.replace(/^:/, '');
      for (const start of starts) {
        expect(nextFireTimes(parseSchedule(file.schedule), file.timezone ?? systemTimeZone(), start, 30)).toEqual(nextFireTimes(parseSchedule(line.schedule), lineZone, start, 30));
      }
    });
  });
});

describe('names', () => {
  it('count every job read, so one refused for its user does not rename the next', () => {
    const text = '0 1 * * * ghost /usr/local/bin/backup.sh\n0 2 * * * root /usr/local/bin/backup.sh --full\n';
    const result = plan([parseCrontab({ name: 'c', kind: 'system', text })]);
    expect(result.pipelines.map((pipeline) => pipeline.name)).toEqual(['backup-2']);
    expect(result.errors.map((error) => error.line)).toEqual([1]);
  });
});

describe('files in the way', () => {
  it('are never overwritten: the same text is already imported, other text is a conflict', () => {
    const first = plan([read('percent.crontab')]);
    const existing = { '/pipelines/date.flow.yaml': first.pipelines[0]?.text ?? '', '/pipelines/mail.flow.yaml': 'name: mail\n' };
    expect(plan([read('percent.crontab')], { existing }).pipelines.slice(0, 3).map((pipeline) => pipeline.state)).toEqual(['identical', 'conflict', 'new']);
  });

  it('are reported by the command, which writes the others and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-import-'));
    try {
      writeFileSync(join(dir, 'mail.flow.yaml'), 'name: mail\ntasks: {}\n');
      const out = capture();
      const code = await importCrontabCommand([join(FIXTURES, 'percent.crontab')], { out: dir }, out.io, { owner: alice, mailer: null });
      expect(code).toBe(1);
      expect(out.stdout.split('\n')[0]).toBe(`wrote 8 pipelines to ${dir}:`);
      expect(out.stderr).toContain(`percent.crontab:3: ${dir}/mail.flow.yaml exists with other content; it was left alone and the line not imported`);
      expect(readFileSync(join(dir, 'mail.flow.yaml'), 'utf8')).toBe('name: mail\ntasks: {}\n');
      const again = capture();
      expect(await importCrontabCommand([join(FIXTURES, 'percent.crontab')], { out: dir, dryRun: true }, again.io, { owner: alice, mailer: null })).toBe(1);
      expect(again.stdout.split('\n')[0]).toBe('already there with the same text (8 pipelines):');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
