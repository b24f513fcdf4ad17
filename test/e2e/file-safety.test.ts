/**
 * Files under FLOW_HOME are the owner's alone: 0700 directories and 0600 files whatever the umask, a FLOW_HOME that
 * others may write refused, and no file ever written through a planted symbolic link.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { alive, eventually, fixture, flowCommand, type Fixture, type Result } from '../helpers/flow.js';

const PIPELINE = `
on_failure: echo "hook saw $FLOW_TASK"
tasks:
  a:
    run: echo hello; exit 1
`;

/** Runs the built binary under a given umask (a shell sets it, then execs flow). */
function flowWithUmask(f: Fixture, umask: string, args: string[]): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', `umask ${umask}; exec "$0" "$@"`, ...flowCommand(args).flat()], { cwd: f.dir, env: f.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/** Every path under `dir` with its permission bits, links not followed. */
function modes(dir: string): Map<string, { mode: number; kind: 'dir' | 'file' }> {
  const found = new Map<string, { mode: number; kind: 'dir' | 'file' }>();
  const walk = (path: string): void => {
    const info = lstatSync(path);
    found.set(path, { mode: info.mode & 0o777, kind: info.isDirectory() ? 'dir' : 'file' });
    if (info.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return found;
}

function runIdOf(f: Fixture, pipeline: string): string {
  const [name] = readdirSync(f.path('.flow-home', 'runs', pipeline));
  return (name ?? '').replace(/\.json$/, '');
}

describe('modes', () => {
  for (const umask of ['000', '022']) {
    test(`with umask ${umask}, every directory is 0700 and every file 0600`, async () => {
      const f = fixture({ 'p.flow.yaml': PIPELINE });
      const run = await flowWithUmask(f, umask, ['run', 'p.flow.yaml']);
      expect(run.code).toBe(1);
      const retry = await flowWithUmask(f, umask, ['retry', runIdOf(f, 'p')]);
      expect(retry.code).toBe(1);
      const found = modes(f.home);
      const files = [...found].filter(([, entry]) => entry.kind === 'file').map(([path]) => path);
      // records, the index, task logs of both attempts and the hook's output are all there
      expect(files.some((path) => path.endsWith('a.2.log'))).toBe(true);
      expect(files.some((path) => path.endsWith('.out'))).toBe(true);
      expect(files.some((path) => path.endsWith('history.json'))).toBe(true);
      for (const [path, entry] of found) expect(`${path} ${entry.mode.toString(8)}`).toBe(`${path} ${entry.kind === 'dir' ? '700' : '600'}`);
    });
  }

  test('what an older flow left readable is tightened when it is written again', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE });
    await f.flow(['run', 'p.flow.yaml']);
    chmodSync(f.home, 0o755);
    chmodSync(f.path('.flow-home', 'runs'), 0o755);
    chmodSync(f.path('.flow-home', 'history.json'), 0o644);
    await f.flow(['run', 'p.flow.yaml']);
    expect(statSync(f.home).mode & 0o777).toBe(0o700);
    expect(statSync(f.path('.flow-home', 'runs')).mode & 0o777).toBe(0o700);
    expect(statSync(f.path('.flow-home', 'history.json')).mode & 0o777).toBe(0o600);
  });

  test('the daemon log and its state files are 0600 under umask 000', async () => {
    const f = fixture({ 'pipelines/.keep': '' });
    const daemon = spawn('/bin/sh', ['-c', `umask 000; exec "$0" "$@"`, ...flowCommand(['daemon', '--dir', f.path('pipelines')]).flat()], { cwd: f.dir, env: f.env });
    let out = '';
    daemon.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise((resolvePromise) => daemon.on('close', resolvePromise));
    await eventually('the daemon to write its status file', () => existsSync(f.path('.flow-home', 'daemon-status.json')));
    daemon.kill('SIGTERM');
    await exited;
    expect(out).toContain('stopped');
    for (const [path, entry] of modes(f.home)) expect(`${path} ${entry.mode.toString(8)}`).toBe(`${path} ${entry.kind === 'dir' ? '700' : '600'}`);
  });
});

describe('a FLOW_HOME others could write is refused', () => {
  test('world-writable', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE });
    mkdirSync(f.home, { mode: 0o700 });
    chmodSync(f.home, 0o777);
    const result = await f.flow(['history']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`flow: FLOW_HOME ${f.home} is writable by every user`);
    expect(result.stderr).toContain(`chmod 700 ${f.home}`);
    expect(result.stderr).not.toContain('    at ');
    expect(existsSync(join(f.home, 'runs'))).toBe(false);
  });

  test('group-writable', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE });
    mkdirSync(f.home, { mode: 0o700 });
    chmodSync(f.home, 0o770);
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is writable by its group');
  });

  test.runIf(process.geteuid?.() === 0)('owned by another user', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE });
    mkdirSync(f.home, { mode: 0o700 });
    chownSync(f.home, 65534, 65534);
    const result = await f.flow(['history']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`flow: FLOW_HOME ${f.home} is owned by uid 65534`);
  });

  test.runIf(process.geteuid?.() === 0)('a daemon running as root refuses a pipelines directory others can write', async () => {
    const f = fixture({ 'pipelines/p.flow.yaml': PIPELINE });
    chmodSync(f.path('pipelines'), 0o777);
    const loose = await f.flow(['daemon', '--dir', f.path('pipelines')]);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toContain(`the pipelines directory ${f.path('pipelines')} is writable by every user`);
    chmodSync(f.path('pipelines'), 0o755);
    chownSync(f.path('pipelines'), 65534, 65534);
    const foreign = await f.flow(['daemon', '--dir', f.path('pipelines')]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('is owned by uid 65534');
  });
});

describe('symbolic links are never followed', () => {
  test('runs/<pipeline> as a link: the link is set aside, never followed, and the run recorded in a real directory', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE, 'elsewhere/.keep': '' });
    await f.flow(['run', 'p.flow.yaml']);
    renameSync(f.path('.flow-home', 'runs', 'p'), f.path('.flow-home', 'runs', 'p.real'));
    symlinkSync(f.path('elsewhere'), f.path('.flow-home', 'runs', 'p'));
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${f.path('.flow-home', 'runs', 'p')} is a symbolic link, not a directory (flow never writes through links); kept it as`);
    expect(readdirSync(f.path('elsewhere'))).toEqual(['.keep']);
    expect(lstatSync(f.path('.flow-home', 'runs', 'p')).isDirectory()).toBe(true);
    expect(readdirSync(f.path('.flow-home', 'runs', 'p'))).toHaveLength(1);
  });

  test('logs/<pipeline> as a link', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE, 'elsewhere/.keep': '' });
    mkdirSync(f.path('.flow-home', 'logs'), { recursive: true, mode: 0o700 });
    symlinkSync(f.path('elsewhere'), f.path('.flow-home', 'logs', 'p'));
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a symbolic link; flow never writes through links');
    expect(readdirSync(f.path('elsewhere'))).toEqual(['.keep']);
  });

  test('a planted <task>.<n>.log link: flow retry does not append to its target', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE, victim: 'untouched\n' });
    await f.flow(['run', 'p.flow.yaml']);
    const id = runIdOf(f, 'p');
    symlinkSync(f.path('victim'), f.path('.flow-home', 'logs', 'p', id, 'a.2.log'));
    const result = await f.flow(['retry', id]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('a.2.log is a symbolic link; flow never writes through links');
    expect(readFileSync(f.path('victim'), 'utf8')).toBe('untouched\n');
    expect(lstatSync(f.path('.flow-home', 'logs', 'p', id, 'a.2.log')).isSymbolicLink()).toBe(true);
  });

  test('a daemon.log link: the daemon refuses to start', async () => {
    const f = fixture({ 'pipelines/.keep': '', victim: 'untouched\n' });
    mkdirSync(f.home, { mode: 0o700 });
    symlinkSync(f.path('victim'), join(f.home, 'daemon.log'));
    const result = await f.flow(['daemon', '--dir', f.path('pipelines')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(f.home, 'daemon.log')} is a symbolic link; flow never writes through links`);
    expect(readFileSync(f.path('victim'), 'utf8')).toBe('untouched\n');
    expect(existsSync(join(f.home, 'daemon.lock'))).toBe(false);
  });

  test('a hook output link is not written through', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE, victim: 'untouched\n' });
    await f.flow(['run', 'p.flow.yaml']);
    const id = runIdOf(f, 'p');
    const hooks = f.path('.flow-home', 'logs', 'p', id, 'hooks');
    // the retry's hook is the first hook of this process: 1-on_failure (a pipeline-level hook)
    for (const name of readdirSync(hooks)) renameSync(join(hooks, name), join(hooks, `old-${name}`));
    symlinkSync(f.path('victim'), join(hooks, '1-on_failure.out'));
    await f.flow(['retry', id]);
    expect(readFileSync(f.path('victim'), 'utf8')).toBe('untouched\n');
    const record = JSON.parse(readFileSync(f.path('.flow-home', 'runs', 'p', `${id}.json`), 'utf8')) as { hooks: { error: string | null }[] };
    expect(record.hooks.at(-1)?.error).toContain('is a symbolic link');
  });
});

describe('recovery trusts only what it can prove', () => {
  test('a forged running record naming an unrelated live process never leads to a kill', async () => {
    const f = fixture({ 'p.flow.yaml': 'tasks:\n  a:\n    run: "true"\n' });
    expect((await f.flow(['run', 'p.flow.yaml'])).code).toBe(0);
    const id = runIdOf(f, 'p');
    // A process flow never started, leading its own group, as a root daemon would.
    const victim = spawn('setsid', ['sleep', '300'], { stdio: 'ignore' });
    const pid = victim.pid ?? 0;
    await eventually('the victim to run sleep', () => readFileSync(`/proc/${pid}/stat`, 'utf8').includes('(sleep)'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const dead = spawn('true');
    await new Promise((resolvePromise) => dead.on('close', resolvePromise));
    const file = f.path('.flow-home', 'runs', 'p', `${id}.json`);
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { tasks: { status: string; attempts: Record<string, unknown>[] }[] };
    const owner = { status: 'running', ended_at: null, duration_ms: null, pid: dead.pid, pid_start: 12345 };
    Object.assign(record, owner);
    for (const task of record.tasks) {
      task.status = 'running';
      for (const attempt of task.attempts) Object.assign(attempt, { ended_at: null, exit_code: null, pid, pid_start: start });
    }
    writeFileSync(file, JSON.stringify(record));
    const index = JSON.parse(readFileSync(f.path('.flow-home', 'history.json'), 'utf8')) as { runs: Record<string, unknown>[] };
    for (const run of index.runs) Object.assign(run, owner);
    writeFileSync(f.path('.flow-home', 'history.json'), JSON.stringify(index));
    try {
      const history = await f.flow(['history', '--json']);
      expect(history.code).toBe(0);
      expect(history.stderr).toContain('marked it interrupted');
      expect(alive(pid)).toBe(true);
    } finally {
      victim.kill('SIGKILL');
    }
  });
});

describe('pipeline names from file names', () => {
  const cases: [string, string][] = [
    ['..flow.yaml', '"."'],
    ['.flow.yaml', '""'],
    ['a;b.flow.yaml', '"a;b"'],
    ['$(id).flow.yaml', '"$(id)"'],
    ['`id`.flow.yaml', '"`id`"'],
  ];
  for (const [file, name] of cases) {
    test(`${file} is refused, naming the file`, async () => {
      const f = fixture({ [file]: 'tasks:\n  a:\n    run: echo hi\n' });
      for (const command of ['validate', 'run']) {
        const result = await f.flow([command, `./${file}`]);
        expect(result.code).toBe(2);
        expect(result.stdout + result.stderr).toContain(`${file}:1:1: the file name gives the pipeline the name ${name}, which must use letters, digits`);
        expect(result.stderr).not.toContain('    at ');
      }
      expect(existsSync(f.path('.flow-home', 'logs'))).toBe(false);
    });
  }

  test('a file with a valid name: key may have any file name', async () => {
    const f = fixture({ '.flow.yaml': 'name: fine\ntasks:\n  a:\n    run: echo hi\n' });
    const result = await f.flow(['run', './.flow.yaml']);
    expect(result.code).toBe(0);
  });

  test('flow validate --dir names the file', async () => {
    const f = fixture({ 'pipelines/..flow.yaml': 'tasks:\n  a:\n    run: echo hi\n' });
    const result = await f.flow(['validate', '--dir', f.path('pipelines')]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('..flow.yaml:1:1: the file name gives the pipeline the name "."');
  });
});

describe('odd things in FLOW_HOME', () => {
  test('a file planted before flow ran is not trusted as a directory', async () => {
    const f = fixture({ 'p.flow.yaml': PIPELINE });
    mkdirSync(f.path('.flow-home', 'runs'), { recursive: true, mode: 0o700 });
    writeFileSync(f.path('.flow-home', 'logs'), 'not a directory');
    const result = await f.flow(['run', 'p.flow.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a directory');
    expect(result.stderr).not.toContain('    at ');
  });
});
