/**
 * Imported crontabs, end to end: the pipelines `flow import-crontab` writes are run by the built `flow` binary and
 * each job is shown to receive the environment, input and working directory cron gave it; every generated file
 * passes `flow validate`; and `--replace` then `--undo` give the user's crontab back byte for byte, through a
 * stand-in crontab(1) on PATH that keeps the crontab in a file.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { importCrontabCommand, type ImportCrontabWorld } from '../../src/cli/commands/import-crontab.js';
import { FlowError } from '../../src/errors.js';
import { fixture, type Fixture } from '../helpers/flow.js';
import { FIXTURES, capture } from '../unit/crontab/helpers.js';

interface RunJson {
  status: string;
  tasks: { id: string; attempts: { log: string }[] }[];
}

/** What a job printed with `env; echo ---; pwd; echo ---; cat`, without what flow and the shell add. */
async function runJob(f: Fixture, file: string): Promise<{ env: Record<string, string>; cwd: string; stdin: string }> {
  const result = await f.flow(['run', file, '--json']);
  expect(result.stderr).toBe('');
  const run = JSON.parse(result.stdout) as RunJson;
  expect(run.status).toBe('success');
  const log = readFileSync(run.tasks[0]?.attempts[0]?.log ?? '', 'utf8');
  const [env = '', cwd = '', ...stdin] = log.split('---\n');
  const shellOwn = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);
  const vars = env
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const)
    .filter(([name]) => !name.startsWith('FLOW_') && !shellOwn.has(name));
  return { env: Object.fromEntries(vars), cwd: cwd.trim(), stdin: stdin.join('---\n') };
}

const PRINT = 'env; echo ---; pwd; echo ---; cat';

describe('imported jobs, run by flow run', () => {
  test('see the environment, input and directory cron gave them, and nothing of flow\'s own environment', async () => {
    const f = fixture();
    mkdirSync(f.path('home'));
    mkdirSync(f.path('alt-home'));
    f.write({
      'alice.crontab': [
        '# jobs that print what they were given',
        'SHELL=/bin/bash',
        'GREETING = "  hi  there  "',
        "NOTE=it's # all of it",
        `*/5 * * * * ${PRINT}%first line%second \\% line`,
        'TZ=Asia/Tokyo',
        'CRON_TZ=Europe/Berlin',
        `HOME=${f.path('alt-home')}`,
        'MAILTO=""',
        `30 2 * * * ${PRINT}`,
        `@reboot ${PRINT}%`,
        '',
      ].join('\n'),
    });
    const out = capture(f.env);
    const owner = { name: 'cronuser', uid: 1000, home: f.path('home') };
    expect(await importCrontabCommand([f.path('alice.crontab')], { out: f.path('pipelines') }, out.io, { owner, mailer: null })).toBe(0);
    expect(readdirSync(f.path('pipelines')).sort()).toEqual(['env-2.flow.yaml', 'env-3.flow.yaml', 'env.flow.yaml']);

    const cron = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LOGNAME: 'cronuser', USER: 'cronuser' };
    const first = { SHELL: '/bin/bash', GREETING: '  hi  there  ', NOTE: "it's # all of it" };
    const later = { ...first, TZ: 'Asia/Tokyo', CRON_TZ: 'Europe/Berlin', HOME: f.path('alt-home'), MAILTO: '' };
    expect(await runJob(f, f.path('pipelines', 'env.flow.yaml'))).toEqual({
      env: { ...first, HOME: f.path('home'), ...cron },
      cwd: f.path('home'),
      stdin: 'first line\nsecond % line\n',
    });
    expect(await runJob(f, f.path('pipelines', 'env-2.flow.yaml'))).toEqual({ env: { ...later, ...cron }, cwd: f.path('alt-home'), stdin: '' });
    expect(await runJob(f, f.path('pipelines', 'env-3.flow.yaml'))).toEqual({ env: { ...later, ...cron }, cwd: f.path('alt-home'), stdin: '' });
  });

  test('a system job runs with the environment of the user its line names', async () => {
    const f = fixture();
    const me = userInfo().username;
    mkdirSync(f.path('my-home'));
    f.write({ 'cron.d/report': `MAILTO=""\n0 6 * * * ${me} ${PRINT}%from the system crontab\n` });
    const world: ImportCrontabWorld = { lookup: (name) => Promise.resolve(name === me ? { name, uid: 1000, home: f.path('my-home') } : undefined) };
    expect(await importCrontabCommand([f.path('cron.d/report')], { system: true, out: f.path('pipelines') }, capture(f.env).io, world)).toBe(0);
    expect(readFileSync(f.path('pipelines', 'env.flow.yaml'), 'utf8')).toContain(`\nuser: ${me}\n`);
    expect(await runJob(f, f.path('pipelines', 'env.flow.yaml'))).toEqual({
      env: { MAILTO: '', SHELL: '/bin/sh', HOME: f.path('my-home'), PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LOGNAME: me, USER: me },
      cwd: f.path('my-home'),
      stdin: 'from the system crontab\n',
    });
  });
});

describe('flow validate', () => {
  test('accepts every pipeline generated from the fixtures', async () => {
    const f = fixture();
    const owner = { name: 'alice', uid: 1000, home: '/home/alice' };
    const mailer = { kind: 'sendmail', path: '/usr/sbin/sendmail' } as const;
    const lookup = (name: string) => Promise.resolve(name === 'nobody-here' ? undefined : { name, uid: 1, home: `/home/${name}` });
    for (const name of ['user-app', 'percent', 'cron-tz', 'refused', 'root', 'crlf', 'no-newline']) {
      const root = name === 'root' ? { owner: { name: 'root', uid: 0, home: '/root' } } : {};
      await importCrontabCommand([join(FIXTURES, `${name}.crontab`)], { out: f.path(name) }, capture(f.env).io, { owner, mailer, ...root });
    }
    const etc = join(FIXTURES, 'system', 'etc');
    const system = ['crontab', 'cron.d/0hourly', 'cron.d/app-backup', 'cron.d/certbot', 'cron.d/php-sessionclean', 'cron.d/sysstat'].map((file) => join(etc, file));
    await importCrontabCommand(system, { system: true, out: f.path('system') }, capture(f.env).io, { owner, mailer, lookup });

    const dirs = ['user-app', 'percent', 'cron-tz', 'refused', 'root', 'crlf', 'no-newline', 'system'];
    const counts = dirs.map((dir) => readdirSync(f.path(dir)).length);
    expect(counts).toEqual([6, 9, 6, 2, 3, 2, 1, 12]);
    const result = await f.flow(['validate', ...dirs.map((dir) => f.path(dir))]);
    expect(result.stdout).toBe('41 pipelines valid\n');
    expect(result.code).toBe(0);
  });
});

describe('MAILTO, as cron: mail whenever the job printed something', () => {
  /** Imports one crontab line with a stand-in sendmail that keeps what it was given, and runs the pipeline. */
  async function importAndRun(line: string, flags: { mailOnFailure?: boolean } = {}): Promise<{ code: number | null; mail: string | undefined }> {
    const f = fixture();
    const sendmail = f.path('sendmail');
    writeFileSync(sendmail, `#!/bin/sh\n{ for arg in "$@"; do printf '%s\\n' "$arg"; done; echo; cat; } > "${f.path('mail.out')}"\n`);
    chmodSync(sendmail, 0o755);
    writeFileSync(f.path('crontab'), `MAILTO=ops@example.com\n${line}\n`);
    await importCrontabCommand([f.path('crontab')], { out: f.path('pipelines'), ...flags }, capture(f.env).io, { owner: { name: 'alice', uid: 1000, home: f.dir }, mailer: { kind: 'sendmail', path: sendmail } });
    const [file] = readdirSync(f.path('pipelines'));
    const run = await f.flow(['run', f.path('pipelines', file ?? '')], { env: { HOME: f.dir } });
    return { code: run.code, mail: existsSync(f.path('mail.out')) ? readFileSync(f.path('mail.out'), 'utf8') : undefined };
  }

  test('a job that prints an alert and exits 0 is mailed, with the subject cron uses and its output as the body', async () => {
    const { code, mail } = await importAndRun('* * * * * echo "health check failed"');
    expect(code).toBe(0);
    expect(mail).toMatch(/^-i\n-t\n\nTo: ops@example\.com\nSubject: Cron <alice@[^>]+> echo "health check failed"\n\nhealth check failed\n$/);
  });

  test('a job that prints nothing sends nothing, even when it fails', async () => {
    expect((await importAndRun('* * * * * true')).mail).toBeUndefined();
    const failed = await importAndRun('* * * * * exit 3');
    expect(failed.code).toBe(1);
    expect(failed.mail).toBeUndefined();
  });

  test('--mail-on-failure mails only a failed job that printed something', async () => {
    expect((await importAndRun('* * * * * echo fine', { mailOnFailure: true })).mail).toBeUndefined();
    expect((await importAndRun('* * * * * echo broken; exit 3', { mailOnFailure: true })).mail).toContain('\n\nbroken\n');
  });
});

/** A crontab(1) that keeps the crontab in $FAKE_CRONTAB: `-l` prints it, `-` replaces it from standard input. */
function fakeCrontab(f: Fixture): Record<string, string> {
  const bin = f.path('bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'crontab'),
    [
      '#!/bin/sh',
      'case "$1" in',
      '  -l) if [ -f "$FAKE_CRONTAB" ]; then cat "$FAKE_CRONTAB"; else echo "no crontab for $(id -un)" >&2; exit 1; fi ;;',
      '  -) cat > "$FAKE_CRONTAB.new" && mv "$FAKE_CRONTAB.new" "$FAKE_CRONTAB" ;;',
      '  *) echo "crontab: unexpected $*" >&2; exit 2 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, 'crontab'), 0o755);
  return { ...f.env, PATH: `${bin}:${f.env.PATH ?? ''}`, FAKE_CRONTAB: f.path('crontab') };
}

// A latin-1 byte, a CRLF line, a refused line and a last comment without a newline: all must come back as they were.
const ORIGINAL = Buffer.concat([
  Buffer.from('MAILTO=""\n# nightly jobs, caf'),
  Buffer.from([0xe9]),
  Buffer.from('\n30 2 * * * /usr/local/bin/backup.sh --full\n61 * * * * /bin/refused\n0 * * * * cat%x\r\n@reboot /usr/local/bin/start-worker.sh\n# the end'),
]);

describe('--replace and --undo', () => {
  const world: ImportCrontabWorld = { owner: { name: 'alice', uid: 1000, home: '/home/alice' }, mailer: null, now: () => new Date('2026-11-22T19:31:23Z') };

  test('comment out what was imported, keep a backup, and give the crontab back byte for byte', async () => {
    const f = fixture();
    const env = fakeCrontab(f);
    writeFileSync(f.path('crontab'), ORIGINAL);
    const out = capture(env);
    expect(await importCrontabCommand([], { replace: true, out: f.path('pipelines') }, out.io, world)).toBe(1);
    expect(readFileSync(f.path('crontab'))).toEqual(
      Buffer.concat([
        Buffer.from('MAILTO=""\n# nightly jobs, caf'),
        Buffer.from([0xe9]),
        Buffer.from(
          '\n# moved to flow: backup\n#30 2 * * * /usr/local/bin/backup.sh --full\n61 * * * * /bin/refused\n' +
            '# moved to flow: cat\n#0 * * * * cat%x\r\n# moved to flow: start-worker\n#@reboot /usr/local/bin/start-worker.sh\n# the end',
        ),
      ]),
    );
    expect(readdirSync(f.path('pipelines')).sort()).toEqual(['backup.flow.yaml', 'cat.flow.yaml', 'start-worker.flow.yaml']);
    expect(readFileSync(join(f.home, 'crontab-backups', '20261122T193123Z.crontab'))).toEqual(ORIGINAL);
    expect(out.stderr).toContain('crontab -l:4: minute: 61 is out of range 0-59 (cron: bad minute)');
    expect(out.stdout).toContain('commented out lines 3, 5, 6 of your crontab');

    // Run again: what moved is a comment now, and the refused line is still left to cron.
    const again = capture(env);
    expect(await importCrontabCommand([], { replace: true, out: f.path('pipelines') }, again.io, world)).toBe(1);
    expect(again.stdout).toBe('');
    expect(readdirSync(join(f.home, 'crontab-backups'))).toHaveLength(2);

    const undo = capture(env);
    expect(await importCrontabCommand([], { undo: true }, undo.io, world)).toBe(0);
    expect(readFileSync(f.path('crontab'))).toEqual(ORIGINAL);
    expect(readdirSync(f.path('pipelines'))).toEqual([]);
    await expect(importCrontabCommand([], { undo: true }, capture(env).io, world)).rejects.toThrow('there is no crontab backup to restore');
  });

  test('--undo changes nothing when the crontab or a pipeline changed since', async () => {
    const f = fixture();
    const env = fakeCrontab(f);
    writeFileSync(f.path('crontab'), ORIGINAL);
    await importCrontabCommand([], { replace: true, out: f.path('pipelines') }, capture(env).io, world);
    const replaced = readFileSync(f.path('crontab'));

    writeFileSync(f.path('crontab'), Buffer.concat([replaced, Buffer.from('\n0 5 * * * /bin/new\n')]));
    await expect(importCrontabCommand([], { undo: true }, capture(env).io, world)).rejects.toThrow('your crontab changed since the import');
    expect(readdirSync(f.path('pipelines'))).toHaveLength(3);

    writeFileSync(f.path('crontab'), replaced);
    writeFileSync(f.path('pipelines', 'cat.flow.yaml'), `${readFileSync(f.path('pipelines', 'cat.flow.yaml'), 'utf8')}# edited\n`);
    const error: unknown = await importCrontabCommand([], { undo: true }, capture(env).io, world).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as FlowError).message).toBe(`${f.path('pipelines', 'cat.flow.yaml')} changed since the import; nothing was restored`);
    expect(readFileSync(f.path('crontab'))).toEqual(replaced);
    expect(existsSync(f.path('pipelines', 'backup.flow.yaml'))).toBe(true);
  });

  test('--dry-run --replace shows what would change and changes nothing; no crontab is nothing to do', async () => {
    const f = fixture();
    const env = fakeCrontab(f);
    writeFileSync(f.path('crontab'), ORIGINAL);
    const out = capture(env);
    expect(await importCrontabCommand([], { replace: true, dryRun: true, out: f.path('pipelines') }, out.io, world)).toBe(1);
    expect(out.stdout).toContain('would comment out lines 3, 5, 6 of your crontab');
    expect(readFileSync(f.path('crontab'))).toEqual(ORIGINAL);
    expect(existsSync(f.path('pipelines'))).toBe(false);

    const none = fixture();
    const empty = capture(fakeCrontab(none));
    expect(await importCrontabCommand([], { replace: true }, empty.io, world)).toBe(0);
    expect(empty.stdout).toBe('');
  });

  test('--replace says when nothing will run the jobs it moved: no daemon runs and none is installed', async () => {
    const f = fixture();
    const env = fakeCrontab(f);
    const units = f.path('units');
    mkdirSync(units);
    writeFileSync(f.path('crontab'), '30 2 * * * /usr/local/bin/backup.sh\n');
    const alone = capture(env);
    await importCrontabCommand([], { replace: true, out: f.path('pipelines') }, alone.io, { ...world, unitDirs: [units] });
    expect(alone.stderr).toContain('the commented-out jobs will not run until `flow daemon` runs');
    expect(alone.stderr).toContain('flow daemon --print-systemd-unit --user > ~/.config/systemd/user/flow.service');

    // A unit that starts the daemon for this FLOW_HOME: nothing to say.
    const unit = await f.flow(['daemon', '--print-systemd-unit', '--user']);
    writeFileSync(join(units, 'flow.service'), unit.stdout);
    await importCrontabCommand([], { undo: true }, capture(env).io, world);
    const installed = capture(env);
    await importCrontabCommand([], { replace: true, out: f.path('pipelines') }, installed.io, { ...world, unitDirs: [units] });
    expect(installed.stdout).toContain('commented out line 1 of your crontab');
    expect(installed.stderr).not.toContain('will not run');

    // A unit for another FLOW_HOME does not count; a daemon that runs now does.
    writeFileSync(join(units, 'flow.service'), unit.stdout.replace(`FLOW_HOME=${f.home}`, 'FLOW_HOME=/elsewhere'));
    await importCrontabCommand([], { undo: true }, capture(env).io, world);
    const daemon = f.start(['daemon', '--dir', f.path('pipelines')]);
    await daemon.waitFor('the daemon to start', (out) => out.stdout.includes('started:'));
    const running = capture(env);
    await importCrontabCommand([], { replace: true, out: f.path('pipelines') }, running.io, { ...world, unitDirs: [units] });
    expect(running.stdout).toContain('commented out line 1 of your crontab');
    expect(running.stderr).not.toContain('will not run');
    daemon.signal('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  test('refuses what it cannot do', async () => {
    const io = capture().io;
    await expect(importCrontabCommand(['x'], { replace: true }, io)).rejects.toThrow('--replace edits your own crontab through crontab(1): give no FILE and no --system');
    await expect(importCrontabCommand([], { undo: true, system: true }, io)).rejects.toThrow('--undo takes no FILE and no other option but --json');
    await expect(importCrontabCommand([], { json: true, replace: true }, io)).rejects.toThrow('--json prints what was read and writes nothing');
  });
});
