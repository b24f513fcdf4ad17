/**
 * Crontabs of the kinds found on servers (test/fixtures/crontabs), read as cronie reads them. Each `.json` beside a
 * crontab was written by hand from crontab(5) and cronie's source (src/env.c load_env, src/entry.c load_entry,
 * src/do_command.c for `%`); they are compared field by field with what the parser and `--json` give.
 */
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCrontabCommand } from '../../../src/cli/commands/import-crontab.js';
import { parseCrontab } from '../../../src/crontab/index.js';
import { FIXTURES, capture, jsonOfJobs, readExpected, type Expected } from './helpers.js';

const USER_CRONTABS = ['user-app', 'percent', 'cron-tz', 'refused', 'root', 'crlf', 'no-newline'];

describe('user crontabs', () => {
  it.each(USER_CRONTABS)('%s.crontab reads as %s.json says', (name) => {
    const text = readFileSync(join(FIXTURES, `${name}.crontab`), 'utf8');
    const parsed = parseCrontab({ name: `${name}.crontab`, kind: 'user', text }, { privileged: name === 'root' });
    const expected = readExpected(name);
    expect(jsonOfJobs(parsed)).toEqual(expected);
  });

  it.each(USER_CRONTABS)('flow import-crontab %s.crontab --json prints the same', async (name) => {
    const out = capture();
    const owner = { name: name === 'root' ? 'root' : 'alice', uid: name === 'root' ? 0 : 1000, home: '/home/alice' };
    const code = await importCrontabCommand([join(FIXTURES, `${name}.crontab`)], { json: true }, out.io, { owner });
    const expected = readExpected(name);
    expect(JSON.parse(out.stdout) as Expected).toEqual(expected);
    expect(out.stderr).toBe('');
    expect(code).toBe(expected.errors.length > 0 ? 1 : 0);
  });

  it('reads standard input for -', async () => {
    const out = capture();
    const text = readFileSync(join(FIXTURES, 'percent.crontab'), 'utf8');
    await importCrontabCommand(['-'], { json: true }, out.io, { readStdin: () => Promise.resolve(text) });
    expect(JSON.parse(out.stdout)).toEqual(readExpected('percent'));
  });
});

const root = mkdtempSync(join(tmpdir(), 'flow-system-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The system fixture in a temporary /etc, with the modes cron wants (a checkout may leave files group-writable). */
function systemTree(): { etc: string; locations: { crontab: string; dir: string } } {
  const etc = join(mkdtempSync(join(root, 'etc-')), 'etc');
  cpSync(join(FIXTURES, 'system', 'etc'), etc, { recursive: true });
  for (const file of ['crontab', 'cron.d/0hourly', 'cron.d/app-backup', 'cron.d/certbot', 'cron.d/php-sessionclean', 'cron.d/sysstat']) chmodSync(join(etc, file), 0o644);
  writeFileSync(join(etc, 'cron.d', 'writable'), '* * * * * root /bin/never-read\n');
  chmodSync(join(etc, 'cron.d', 'writable'), 0o664);
  return { etc, locations: { crontab: join(etc, 'crontab'), dir: join(etc, 'cron.d') } };
}

describe('system crontabs', () => {
  it('reads /etc/crontab and /etc/cron.d as cron does: the user field, skipped names, a file cron will not read', async () => {
    const { etc, locations } = systemTree();
    const out = capture();
    const code = await importCrontabCommand([], { system: true, json: true }, out.io, { locations, checkOwner: false });
    const printed = JSON.parse(out.stdout.replaceAll(`${etc}/`, 'etc/')) as Expected;
    const expected = readExpected('system');
    expect(printed.jobs).toEqual(expected.jobs);
    expect(printed.errors).toEqual(expected.errors);
    expect(code).toBe(1);
  });

  it('reads files given with --system as system crontabs, and names the file only when there are several', async () => {
    const { locations } = systemTree();
    const one = capture();
    await importCrontabCommand([join(locations.dir, 'sysstat')], { system: true, json: true }, one.io);
    expect(JSON.parse(one.stdout)).toEqual({
      jobs: readExpected('system').jobs.filter((job) => job.file === 'etc/cron.d/sysstat').map(({ file: _file, ...job }) => job),
      errors: [],
    });
    const two = capture();
    await importCrontabCommand([join(locations.dir, 'sysstat'), join(locations.dir, '0hourly')], { system: true, json: true }, two.io);
    expect((JSON.parse(two.stdout) as Expected).jobs.map((job) => [job.file, job.line])).toEqual([
      [join(locations.dir, 'sysstat'), 2],
      [join(locations.dir, 'sysstat'), 4],
      [join(locations.dir, '0hourly'), 5],
    ]);
  });

  it('requires root to own system crontabs unless told otherwise', async () => {
    const { locations } = systemTree();
    const out = capture();
    await importCrontabCommand([], { system: true, json: true }, out.io, { locations });
    const errors = (JSON.parse(out.stdout) as Expected).errors;
    if (process.getuid?.() === 0) expect(errors.filter((error) => error.line === null)).toHaveLength(1);
    else expect(errors.filter((error) => error.message === 'cron does not read this file: it is not owned by root')).toHaveLength(7);
  });
});
