/**
 * Corrupt, odd and hostile state under FLOW_HOME, and bad input, as one table run against the built binary. Every
 * row starts from a FLOW_HOME that already holds two runs, and asserts: the exit code; one line of error (plus at
 * most a hint), or warnings and success for what is repaired; never a stack trace; and, afterwards, every earlier
 * run still listed by `flow history`. Full disks and read-only homes are real file systems (tmpfs, a read-only
 * bind mount), which needs root: CI runs as root; elsewhere those rows skip, saying why.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync, openSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { COMMAND_MS, fixture, type Fixture, type Result } from '../helpers/flow.js';
import { bindReadOnly, mountRefused, mountTmpfs, unmount } from '../helpers/mounts.js';

const PIPELINE = 'tasks:\n  a:\n    run: echo hello\n';
/** A deadline for one command that holds on a machine loaded far beyond its cores. */
const SLOW = COMMAND_MS;

interface Row {
  name: string;
  /** Files of the fixture (besides p.flow.yaml and pipelines/p.flow.yaml). */
  files?: Record<string, string>;
  /** FLOW_HOME on a real file system: a tmpfs of this many bytes, or the home bound read-only for the command. */
  mount?: { tmpfs: number } | 'read-only';
  /** Changes FLOW_HOME before the command; `ids` are the earlier runs. */
  setup?: (f: Fixture, ids: string[]) => void;
  /**
   * The command; `daemon` starts `flow daemon`, waits until it has started, and stops it; `stopped run` starts
   * `flow run p.flow.yaml`, waits until the run has begun, and sends SIGTERM.
   */
  args: string[] | ((ids: string[]) => string[]) | 'daemon' | 'stopped run';
  env?: (f: Fixture) => Record<string, string>;
  code: number;
  /** The error line when the command fails; a warning that must be printed when it succeeds. */
  line?: RegExp;
  /** More checks, before the history check (the home is writable again by then). */
  after?: (f: Fixture, result: Result, ids: string[]) => void | Promise<void>;
  onlyAsNonRoot?: boolean;
}

const home = (f: Fixture, ...parts: string[]): string => join(f.home, ...parts);
const write = (f: Fixture, name: string, text: string): void => writeFileSync(home(f, name), text);
const runFile = (f: Fixture, id: string): string => home(f, 'runs', 'p', `${id}.json`);
const dirAt = (path: string): void => {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(join(path, 'inside'), { recursive: true });
};
const asideOf = (f: Fixture, name: string): string[] => readdirSync(f.home).filter((entry) => entry.startsWith(`${name}.corrupt-`));
const noLocksLeft = (f: Fixture): void => {
  expect(readdirSync(f.home).filter((entry) => /\.lock(\.takeover)?$/.test(entry))).toEqual([]);
};
/** Fills the file system holding `dir` to the last byte. */
function fillDisk(dir: string): void {
  const fd = openSync(join(dir, 'fill'), 'a');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let size = chunk.length; size >= 1; size = Math.floor(size / 2)) {
      for (;;) {
        try {
          writeSync(fd, chunk, 0, size);
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
// Five minutes of names: the command that sets a file aside runs within them however loaded the machine is.
const STAMPS = 300;
const stampsNow = (): string[] => {
  const names: string[] = [];
  for (let s = 0; s < STAMPS; s++) names.push(new Date(Date.now() + s * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'));
  return names;
};

const indexRows: Row[] = [
  ['[]', '[]'],
  ['{}', '{}'],
  ['null', 'null'],
  ['{"runs":[null]}', '{"runs":[null]}'],
  ['entries without fields', '{"version":1,"runs":[{}],"truncated":false}'],
  ['an entry with a wrong type', '{"version":1,"runs":[{"id":5}],"truncated":false}'],
].map(([what, text]) => ({
  name: `history.json ${what ?? ''} is moved aside and rebuilt from the run files`,
  setup: (f) => write(f, 'history.json', text ?? ''),
  args: ['history'],
  code: 0,
  line: /^flow: warning: history index .*history\.json has the wrong shape \(.*\); kept it as .*history\.json\.corrupt-\d{8}T\d{6}Z and rebuilt the index from 2 run files$/m,
  after: (f) => expect(asideOf(f, 'history.json')).toHaveLength(1),
}));

const lockContents: [string, (path: string) => void][] = [
  ['null', (path) => writeFileSync(path, 'null')],
  ['{}', (path) => writeFileSync(path, '{}')],
  ['a number', (path) => writeFileSync(path, '5')],
  ['garbage', (path) => writeFileSync(path, 'garbage\u0000\u00ff')],
  ['a holder without a pid', (path) => writeFileSync(path, '{"host":"x","pid":null,"start":null,"boot":null}')],
  ['a directory', dirAt],
];

const historyLockRows: Row[] = lockContents.map(([what, make]) => ({
  name: `history.lock holding ${what} is set aside and taken over`,
  setup: (f) => make(home(f, 'history.lock')),
  args: ['run', 'p.flow.yaml'],
  code: 0,
  line: /^flow: warning: lock .*history\.lock (does not name its owner|is a directory); kept it as .*history\.lock\.corrupt-\d{8}T\d{6}Z and took the lock over$/m,
  after: (f) => {
    expect(asideOf(f, 'history.lock')).toHaveLength(1);
    noLocksLeft(f);
  },
}));

const daemonLockRows: Row[] = lockContents.map(([what, make]) => ({
  name: `daemon.lock holding ${what} is set aside and the daemon starts`,
  setup: (f) => make(home(f, 'daemon.lock')),
  args: 'daemon',
  code: 0,
  line: /^flow: warning: lock .*daemon\.lock (does not name its owner|is a directory); kept it as .*daemon\.lock\.corrupt-\d{8}T\d{6}Z and took the lock over$/m,
  after: (f) => expect(asideOf(f, 'daemon.lock')).toHaveLength(1),
}));

const daemonStateRows: Row[] = (
  [
    ['"x"', (path: string) => writeFileSync(path, '"x"')],
    ['5', (path: string) => writeFileSync(path, '5')],
    ['a garbage last_instant', (path: string) => writeFileSync(path, '{"version":1,"boot_id":null,"pipelines":{"p":{"last_instant":"garbage"}}}')],
    ['pipelines: null', (path: string) => writeFileSync(path, '{"version":1,"boot_id":null,"pipelines":null}')],
    ['not JSON', (path: string) => writeFileSync(path, '{"version":')],
    ['a directory', dirAt],
  ] as const
).map(([what, make]) => ({
  name: `daemon-state.json of ${what} is moved aside and the daemon starts`,
  setup: (f: Fixture) => make(home(f, 'daemon-state.json')),
  args: 'daemon' as const,
  code: 0,
  line: /daemon state .*daemon-state\.json (has the wrong shape|did not parse|is a directory).*; kept it as .*daemon-state\.json\.corrupt-\d{8}T\d{6}Z and started afresh/,
  after: (f: Fixture) => expect(asideOf(f, 'daemon-state.json')).toHaveLength(1),
}));

const rows: Row[] = [
  ...indexRows,
  {
    name: 'history.json that does not parse is moved aside and rebuilt',
    setup: (f) => write(f, 'history.json', '{"version":1,"runs":['),
    args: ['history'],
    code: 0,
    line: /^flow: warning: history index .* did not parse; kept it as .*history\.json\.corrupt-\d{8}T\d{6}Z and rebuilt the index from 2 run files$/m,
  },
  {
    name: 'history.json that is a directory is moved aside and rebuilt',
    setup: (f) => dirAt(home(f, 'history.json')),
    args: ['history'],
    code: 0,
    line: /^flow: warning: history index .* is a directory, not a file; kept it as .*corrupt-.* and rebuilt the index from 2 run files$/m,
  },
  {
    name: 'a deleted history.json is rebuilt when read',
    setup: (f) => rmSync(home(f, 'history.json')),
    args: ['history'],
    code: 0,
    after: (f) => expect((JSON.parse(readFileSync(home(f, 'history.json'), 'utf8')) as { runs: unknown[] }).runs).toHaveLength(2),
  },
  {
    name: 'two files set aside in the same second get distinct names, none overwritten',
    setup: (f) => {
      write(f, 'history.json', '[]');
      for (const stamp of stampsNow()) write(f, `history.json.corrupt-${stamp}`, 'set aside before');
    },
    args: ['history'],
    code: 0,
    line: /kept it as .*history\.json\.corrupt-\d{8}T\d{6}Z-2 /,
    after: (f) => {
      const aside = asideOf(f, 'history.json');
      expect(aside).toHaveLength(STAMPS + 1);
      expect(aside.filter((name) => readFileSync(home(f, name), 'utf8') === 'set aside before')).toHaveLength(STAMPS);
    },
  },
  ...(
    [
      ['{}', (path: string) => writeFileSync(path, '{}'), /has the wrong shape/],
      ['[]', (path: string) => writeFileSync(path, '[]'), /has the wrong shape/],
      ['cut short', (path: string) => writeFileSync(path, '{"id": "trunc'), /did not parse/],
      ['a directory', dirAt, /is a directory, not a file/],
    ] as const
  ).map(([what, make, reason]): Row => ({
    name: `a run file of ${what} is set aside; the run still lists from the index`,
    setup: (f, ids) => make(runFile(f, ids[0] ?? '')),
    args: ['history'],
    code: 0,
    line: new RegExp(`^flow: warning: run record .*\\.json ${reason.source}.*; kept it as .*\\.json\\.corrupt-\\d{8}T\\d{6}Z$`, 'm'),
  })),
  {
    name: 'runs/<pipeline> that is a file is set aside when that pipeline runs',
    files: { 'q.flow.yaml': PIPELINE },
    setup: (f) => writeFileSync(home(f, 'runs', 'q'), 'not a directory'),
    args: ['run', 'q.flow.yaml'],
    code: 0,
    line: /^flow: warning: run directory .*runs\/q is a file, not a directory; kept it as .*runs\/q\.corrupt-\d{8}T\d{6}Z$/m,
  },
  {
    name: 'runs/<pipeline> that is a file does not stop flow history',
    setup: (f) => writeFileSync(home(f, 'runs', 'q'), 'not a directory'),
    args: ['history'],
    code: 0,
  },
  {
    name: 'flow show of a run whose file was set aside shows its index entry',
    setup: (f, ids) => writeFileSync(runFile(f, ids[0] ?? ''), '{}'),
    args: (ids) => ['show', ids[0] ?? ''],
    code: 0,
    line: /run record .* has the wrong shape/,
  },
  ...historyLockRows,
  {
    name: 'a wait for a lock held by a live process ends at SIGTERM, in one line, not at the timeout',
    setup: (f) => write(f, 'history.lock', liveHolder()),
    args: 'stopped run',
    code: 2,
    line: /^flow: stopped while waiting for the history index, locked by pid \d+ on /m,
    after: (f) => {
      expect(readFileSync(home(f, 'history.lock'), 'utf8')).toBe(liveHolder());
      rmSync(home(f, 'history.lock'));
    },
  },
  ...daemonLockRows,
  ...daemonStateRows,
  {
    name: 'daemon-status.json of the wrong shape: flow list still works',
    setup: (f) => write(f, 'daemon-status.json', '{"pid":"x"}'),
    args: ['list'],
    code: 0,
  },

  // A read-only FLOW_HOME: reading works, writing is refused in one line.
  ...[['history'], ['list'], ['logs', 'a'], ['history', 'p', '--json']].map((args): Row => ({ name: `read-only FLOW_HOME: flow ${args.join(' ')} works`, mount: 'read-only', args, code: 0 })),
  { name: 'read-only FLOW_HOME: flow show works', mount: 'read-only', args: (ids) => ['show', ids[0] ?? ''], code: 0 },
  {
    name: 'read-only FLOW_HOME: a corrupt index is read around, not repaired',
    mount: 'read-only',
    setup: (f) => write(f, 'history.json', '[]'),
    args: ['history'],
    code: 0,
    line: /^flow: warning: cannot write the history index .* \(read-only file system\); read the run files instead$/m,
  },
  { name: 'read-only FLOW_HOME: flow run refuses', mount: 'read-only', args: ['run', 'p.flow.yaml'], code: 2, line: /^flow: cannot write to FLOW_HOME .*: read-only file system$/m },
  { name: 'read-only FLOW_HOME: flow daemon refuses', mount: 'read-only', args: ['daemon'], code: 2, line: /^flow: cannot write to FLOW_HOME .*: read-only file system$/m },

  // A full disk: the outcome of the run that filled it is kept; while it stays full, one line and no lock left.
  {
    name: 'a run whose task fills the disk is recorded failed, in the room kept in reserve',
    mount: { tmpfs: 16 * 1024 * 1024 },
    files: { 'fill.flow.yaml': 'tasks:\n  fill:\n    run: dd if=/dev/zero of="$FLOW_HOME/fill" bs=64k\n  after:\n    run: "true"\n    depends_on: [fill]\n' },
    setup: (f) => {
      // The reserve is made by a command that writes, when there is room.
      expect(existsSync(home(f, 'reserve'))).toBe(true);
    },
    args: ['run', 'fill.flow.yaml'],
    code: 1,
    line: /^flow: warning: no space left on device; recorded run .* of fill \(failed\) in the room kept in reserve/m,
    after: async (f) => {
      noLocksLeft(f);
      rmSync(home(f, 'fill'));
      const runs = JSON.parse((await f.flow(['history', 'fill', '--json'], { timeoutMs: SLOW })).stdout) as { status: string }[];
      expect(runs.map((run) => run.status)).toEqual(['failed']);
    },
  },
  {
    name: 'a run that meets a full disk even after the reserve is noted, and recorded failed when space returns',
    mount: { tmpfs: 3 * 1024 * 1024 },
    files: { 'fill.flow.yaml': 'tasks:\n  fill:\n    run: dd if=/dev/zero of="$FLOW_HOME/fill" bs=64k\n' },
    // 3 MiB is too small for the reserve to be made.
    setup: (f) => expect(existsSync(home(f, 'reserve'))).toBe(false),
    args: ['run', 'fill.flow.yaml'],
    code: 2,
    line: /^flow: no space left on device: run .* of fill \(failed\) could not be recorded; it is noted and will be recorded as failed when space returns$/m,
    after: async (f) => {
      noLocksLeft(f);
      rmSync(home(f, 'fill'));
      // The next command that opens history records it (a loaded machine may take a moment to reap the runner).
      let result = await f.flow(['history', 'fill', '--json'], { timeoutMs: SLOW });
      let warned = result.stderr;
      for (let tries = 0; tries < 20 && !result.stdout.includes('"status": "failed"'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        result = await f.flow(['history', 'fill', '--json'], { timeoutMs: SLOW });
        warned += result.stderr;
      }
      expect(warned).toMatch(/^flow: warning: run .* of fill ended failed when the disk was full; recorded it now$/m);
      const runs = JSON.parse(result.stdout) as { status: string; tasks: { status: string; reason: string }[] }[];
      expect(runs.map((run) => run.status)).toEqual(['failed']);
      // The task's own reason where its journal line still fit on the disk, else the noted one.
      expect(runs[0]?.tasks[0]?.reason).toMatch(/^exit code 1$|no space left on device/);
    },
  },
  ...(
    [
      [['run', 'p.flow.yaml'], 2, /^flow: could not record the run in history: no space left on device/m],
      [['daemon'], 2, /^flow: no space left on device \(write .*daemon\.lock\)$/m],
      [['history'], 0, undefined],
    ] as const
  ).map(
    ([args, code, line]): Row => ({
      name: `while the disk stays full, flow ${args[0]} ${code === 0 ? 'works' : 'says so in one line'} and leaves no lock behind`,
      mount: { tmpfs: 4 * 1024 * 1024 },
      setup: (f) => fillDisk(f.home),
      args: [...args],
      code,
      line,
      after: (f) => {
        noLocksLeft(f);
        rmSync(home(f, 'fill'));
      },
    }),
  ),

  // Bad input (pipelines, options, FLOW_HOME): one clear line, a non-zero exit.
  { name: 'a missing pipeline file', args: ['run', 'nowhere.flow.yaml'], code: 2, line: /^flow: nowhere\.flow\.yaml: no such file$/m },
  {
    name: 'an unknown pipeline lists the known ones',
    files: { 'pipelines/backup.flow.yaml': PIPELINE, 'pipelines/etl.flow.yaml': `name: nightly-etl\n${PIPELINE}` },
    args: ['run', 'backups'],
    code: 2,
    line: /^flow: unknown pipeline "backups" \(did you mean "backup"\?\)$/m,
    after: (_f, result) => expect(result.stderr).toContain('backup, nightly-etl'),
  },
  {
    name: 'a pipeline is found by its name inside the file',
    files: { 'pipelines/etl.flow.yaml': 'name: nightly-etl\ntasks:\n  a:\n    run: echo found > found\n' },
    args: ['run', 'nightly-etl'],
    code: 0,
  },
  {
    name: 'a YAML syntax error names the file, line and column',
    files: { 'broken.flow.yaml': 'tasks:\n  a:\n    run: "unterminated\n' },
    args: ['run', 'broken.flow.yaml'],
    code: 2,
    line: /^broken\.flow\.yaml:3:10: YAML syntax: Missing closing "quote/m,
  },
  { name: 'an unknown task in --only', files: { 'x.flow.yaml': 'tasks:\n  extract:\n    run: "true"\n' }, args: ['run', 'x.flow.yaml', '--only', 'extrat'], code: 2, line: /^flow: --only: pipeline "x" has no task "extrat" \(did you mean "extract"\?\)$/m },
  {
    name: 'a command that is not found fails with 127, said so',
    files: { 'x.flow.yaml': 'tasks:\n  a:\n    run: no-such-command-here --now\n' },
    args: ['run', 'x.flow.yaml'],
    code: 1,
    after: (_f, result) => expect(result.stdout).toContain('Task "a" failed: command not found (exit code 127): no-such-command-here --now'),
  },
  {
    name: "a task's own exit 127 is an exit code, not a missing command",
    files: { 'x.flow.yaml': 'tasks:\n  a:\n    run: echo "no such customer"; exit 127\n' },
    args: ['run', 'x.flow.yaml'],
    code: 1,
    after: (_f, result) => {
      expect(result.stdout).toContain('Task "a" failed: exit code 127: echo "no such customer"; exit 127');
      expect(result.stdout).not.toContain('command not found');
    },
  },
  {
    name: 'a cwd that does not exist',
    files: { 'x.flow.yaml': 'tasks:\n  a:\n    run: "true"\n    cwd: /no/such/dir\n' },
    args: ['run', 'x.flow.yaml'],
    code: 1,
    after: (_f, result) => expect(result.stdout).toContain('Task "a" failed: cwd /no/such/dir does not exist'),
  },
  {
    name: 'a shell that does not exist',
    files: { 'x.flow.yaml': 'tasks:\n  a:\n    run: "true"\n    shell: /bin/no-such-shell\n' },
    args: ['run', 'x.flow.yaml'],
    code: 1,
    after: (_f, result) => expect(result.stdout).toContain('Task "a" failed: /bin/no-such-shell not found'),
  },
  { name: 'FLOW_HOME under a file', files: { 'home-is-a-file': '' }, env: (f) => ({ FLOW_HOME: f.path('home-is-a-file', 'state') }), args: ['run', 'p.flow.yaml'], code: 2, line: /FLOW_HOME|logs/ },
  { name: 'FLOW_HOME under /proc', env: () => ({ FLOW_HOME: '/proc/flow-home' }), args: ['run', 'p.flow.yaml'], code: 2, line: /FLOW_HOME|logs/ },
  {
    name: 'FLOW_HOME in a directory the user may not write',
    onlyAsNonRoot: true,
    setup: (f) => mkdirSync(f.path('closed'), { mode: 0o555 }),
    env: (f) => ({ FLOW_HOME: f.path('closed', 'home') }),
    args: ['run', 'p.flow.yaml'],
    code: 2,
    line: /permission denied/,
  },
  {
    name: 'flow daemon --dir naming a directory that does not exist is refused, not created',
    args: ['daemon', '--dir', 'pipelnes'],
    code: 2,
    line: /^flow: --dir .*pipelnes: no such directory; create it \(mkdir -p .*\) or correct the path$/m,
    after: (f) => expect(existsSync(f.path('pipelnes'))).toBe(false),
  },
  { name: 'flow daemon --dir naming a file', files: { 'a-file': '' }, args: ['daemon', '--dir', 'a-file'], code: 2, line: /^flow: --dir .*a-file: not a directory$/m },
  { name: 'an unknown command', args: ['frobnicate'], code: 2 },
  { name: 'flow run without a pipeline', args: ['run'], code: 2 },
  { name: 'a --concurrency that is not a number', args: ['run', 'x', '--concurrency', 'zero'], code: 2 },
];

let template: Fixture;
let earlier: string[] = [];

beforeAll(async () => {
  template = fixture({ 'p.flow.yaml': PIPELINE });
  for (let n = 0; n < 2; n++) expect((await template.flow(['run', 'p.flow.yaml'], { timeoutMs: SLOW })).code).toBe(0);
  earlier = readdirSync(join(template.home, 'runs', 'p')).map((name) => name.replace(/\.json$/, ''));
  expect(earlier).toHaveLength(2);
});

async function stoppedRun(f: Fixture): Promise<Result> {
  const running = f.start(['run', 'p.flow.yaml']);
  await running.waitFor('the run to begin', (out) => / run \S+ of p: /.test(out.stdout) || running.child.exitCode !== null, SLOW);
  running.signal('SIGTERM');
  return running.exited;
}

/** A lock held by a process that is alive: this test's own. */
function liveHolder(): string {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return JSON.stringify({ host: hostname(), pid: process.pid, start, boot });
}

async function daemon(f: Fixture): Promise<Result> {
  const running = f.start(['daemon', '--dir', f.path('pipelines')]);
  await running.waitFor('the daemon to start', (out) => /started: \d+ scheduled/.test(out.stdout) || running.child.exitCode !== null, SLOW);
  running.signal('SIGTERM');
  return running.exited;
}

describe('corrupt state and bad input: one clear line or a repair, nothing lost', () => {
  // One test per row, named in full (a formatted name would be cut short).
  for (const row of rows) test(row.name, async (context) => {
    if (row.onlyAsNonRoot === true && process.getuid?.() === 0) context.skip('root writes anywhere');
    const refused = row.mount === undefined ? null : mountRefused();
    if (refused !== null) context.skip(refused);

    const f = fixture({ 'p.flow.yaml': PIPELINE, 'pipelines/p.flow.yaml': PIPELINE, ...row.files });
    if (typeof row.mount === 'object') mountTmpfs(f.home, row.mount.tmpfs);
    let mounted = typeof row.mount === 'object';
    try {
      cpSync(template.home, f.home, { recursive: true, filter: (source) => source !== join(template.home, 'reserve') });
      // A command that writes makes the full-disk reserve, as on a real machine before trouble starts.
      if (typeof row.mount === 'object') expect((await f.flow(['prune'], { timeoutMs: SLOW })).code).toBe(0);
      row.setup?.(f, earlier);
      if (row.mount === 'read-only') {
        bindReadOnly(f.home);
        mounted = true;
      }
      const env = row.env?.(f);
      const args = typeof row.args === 'function' ? row.args(earlier) : row.args;
      const result = args === 'daemon' ? await daemon(f) : args === 'stopped run' ? await stoppedRun(f) : await f.flow(args, env === undefined ? { timeoutMs: SLOW } : { env, timeoutMs: SLOW });

      const output = `${result.stdout}\n${result.stderr}`;
      expect(output, 'a stack trace').not.toMatch(/^\s+at /m);
      expect(output).not.toMatch(/internal error/);
      expect(result.code, `exit code; stderr:\n${result.stderr}`).toBe(row.code);
      if (row.code === 2) {
        // One line (plus at most a hint).
        expect(result.stderr.trim().split('\n').length, result.stderr).toBeLessThanOrEqual(2);
      } else {
        for (const line of result.stderr.split('\n').filter((text) => text !== '')) expect(line).toMatch(/^flow: (warning: |hook )/);
      }
      if (row.line !== undefined) expect(args === 'daemon' || row.code === 0 ? output : result.stderr).toMatch(row.line);

      if (row.mount === 'read-only') {
        unmount(f.home);
        mounted = typeof row.mount === 'object';
      }
      await row.after?.(f, result, earlier);
      const history = await f.flow(['history', '--json', '--limit', '1000'], { timeoutMs: SLOW });
      expect(history.code, history.stderr).toBe(0);
      expect(history.stderr).not.toMatch(/^\s+at /m);
      const listed = (JSON.parse(history.stdout) as { id: string }[]).map((run) => run.id);
      for (const id of earlier) expect(listed, `run ${id} is still listed`).toContain(id);
    } finally {
      if (mounted) unmount(f.home);
    }
  });
});
