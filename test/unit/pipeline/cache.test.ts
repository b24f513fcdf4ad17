import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPipelineFileCached } from '../../../src/pipeline/cache.js';
import { loadPipelineFile } from '../../../src/pipeline/load.js';

type Entry = { definition: { tasks: { a: { run: string } } } };

const root = mkdtempSync(join(tmpdir(), 'flow-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
function place(text: string, name = 'p.flow.yaml'): { file: string; home: string; entries: () => string[] } {
  const dir = join(root, String(count++));
  mkdirSync(join(dir, 'home'), { recursive: true, mode: 0o700 });
  const file = join(dir, name);
  writeFileSync(file, text);
  const cache = join(dir, 'home', 'cache', 'pipelines');
  return { file, home: join(dir, 'home'), entries: () => readdirSync(cache).map((entry) => join(cache, entry)) };
}

const RICH = `name: rich
description: every kind of value
schedule: "*/5 1-3 * jan-mar mon-fri"
timezone: Europe/Berlin
tags: [a, b]
secrets: [API_TOKEN]
params:
  day: { type: string, default: "x", enum: ["x", "y"] }
  n: { type: number, default: -1.5e300 }
sla: { start_within: 5m }
defaults: { retries: 2, retry_delay: 1s, cwd: sub, on_failure: "echo f" }
tasks:
  a:
    run: "echo a"
    timeout: 1h30m
    skip_exit_code: false
  b:
    run: "echo b"
    depends_on: [a, a]
    when: "true"
    on_success: ["echo 1", "echo 2"]
    stdin: "line\\n\\u00e9\\ud83d\\ude00"
  c: {}
`;

describe('the cache of validated pipelines', () => {
  test('keeps no entry for a document JSON cannot carry exactly (-0)', async () => {
    const { file, home } = place('params:\n  n: { type: number, default: -0 }\ntasks:\n  a: {}\n');
    expect(Object.is((await loadPipelineFileCached(file, home)).pipeline?.params.n?.default, -0)).toBe(true);
    expect(Object.is((await loadPipelineFileCached(file, home)).pipeline?.params.n?.default, -0)).toBe(true);
  });

  test('answers a second load with what the first gave, and keeps the entry private', async () => {
    const { file, home, entries } = place(RICH);
    const fresh = await loadPipelineFile(file);
    expect(fresh.problems).toEqual([]);
    const first = await loadPipelineFileCached(file, home);
    const [entry] = entries();
    expect(entry).toBeDefined();
    expect(statSync(entry as string).mode & 0o777).toBe(0o600);
    const second = await loadPipelineFileCached(file, home);
    for (const loaded of [first, second]) expect({ ...loaded, durationMs: undefined, cpuMs: undefined }).toEqual({ ...fresh, durationMs: undefined, cpuMs: undefined });
  });

  test.each([
    ['hello.flow.yaml', false],
    ['example_bash_operator.flow.yaml', true],
    ['example_branch_operator.flow.yaml', true],
  ])('gives the shipped %s as a fresh load does (kept: %s)', async (name, kept) => {
    const { file, home } = place(readFileSync(join(__dirname, '..', '..', '..', 'examples', name), 'utf8'), name);
    const fresh = await loadPipelineFile(file);
    await loadPipelineFileCached(file, home);
    expect(existsSync(join(home, 'cache', 'pipelines'))).toBe(kept);
    const cached = await loadPipelineFileCached(file, home);
    expect(cached.pipeline).toEqual(fresh.pipeline);
    expect(cached.problems).toEqual(fresh.problems);
  });

  test('keeps no invalid file, whose problems may quote its values, and gives every problem each time', async () => {
    const { file, home } = place('tasks:\n  a:\n    run: 5\n    depends_on: [nope]\n  b:\n    retries: -1\n');
    const fresh = await loadPipelineFile(file);
    expect(fresh.problems.length).toBe(3);
    for (let i = 0; i < 2; i++) {
      const cached = await loadPipelineFileCached(file, home);
      expect(cached.pipeline).toBeUndefined();
      expect(cached.problems).toEqual(fresh.problems);
    }
    expect(existsSync(join(home, 'cache', 'pipelines'))).toBe(false);
  });

  test.each([
    ['env: { API_TOKEN: tok-4711 }\ntasks:\n  a: { run: "true" }\n'],
    ['defaults: { env: { PLAIN: tok-4711 } }\ntasks:\n  a: { run: "true" }\n'],
    ['tasks:\n  a: { run: "true" }\n  b: { run: "true", env: { X: tok-4711 } }\n'],
  ])('keeps no pipeline with environment values, which may be secrets: %j', async (text) => {
    const { file, home } = place(text);
    const fresh = await loadPipelineFile(file);
    expect(fresh.problems).toEqual([]);
    expect((await loadPipelineFileCached(file, home)).pipeline).toEqual(fresh.pipeline);
    expect((await loadPipelineFileCached(file, home)).pipeline).toEqual(fresh.pipeline);
    expect(existsSync(join(home, 'cache', 'pipelines'))).toBe(false);
  });

  test('is read: a second load comes from the entry, not the file', async () => {
    const { file, home, entries } = place('tasks:\n  a:\n    run: "echo a"\n');
    await loadPipelineFileCached(file, home);
    const entry = entries()[0] as string;
    const parsed = JSON.parse(readFileSync(entry, 'utf8')) as Entry;
    parsed.definition.tasks.a.run = 'echo from-the-cache';
    writeFileSync(entry, JSON.stringify(parsed));
    expect((await loadPipelineFileCached(file, home)).pipeline?.tasks[0]?.command).toBe('echo from-the-cache');
  });

  test('never serves a file whose text changed, even with the same size and times', async () => {
    const { file, home } = place('tasks:\n  a:\n    run: "echo a"\n');
    await loadPipelineFileCached(file, home);
    const before = statSync(file);
    writeFileSync(file, 'tasks:\n  a:\n    run: "echo b"\n');
    utimesSync(file, before.atime, before.mtime);
    expect(statSync(file).size).toBe(before.size);
    expect((await loadPipelineFileCached(file, home)).pipeline?.tasks[0]?.command).toBe('echo b');
    writeFileSync(file, 'tasks:\n  a:\n    run: 7\n');
    expect((await loadPipelineFileCached(file, home)).problems[0]?.message).toMatch(/expected a string/);
  });

  test('believes only a private entry of its own build', async () => {
    const { file, home, entries } = place('tasks:\n  a:\n    run: "echo a"\n');
    await loadPipelineFileCached(file, home);
    const entry = entries()[0] as string;
    const parsed = JSON.parse(readFileSync(entry, 'utf8')) as Entry;
    parsed.definition.tasks.a.run = 'echo planted';
    const planted = JSON.stringify(parsed);
    writeFileSync(entry, planted);
    expect((await loadPipelineFileCached(file, home)).pipeline?.tasks[0]?.command).toBe('echo planted');
    writeFileSync(entry, planted);
    chmodSync(entry, 0o644);
    expect((await loadPipelineFileCached(file, home)).pipeline?.tasks[0]?.command).toBe('echo a');
    writeFileSync(entry, planted.replace(/"key":"[^"]*"/, '"key":"another build"'), { mode: 0o600 });
    chmodSync(entry, 0o600);
    expect((await loadPipelineFileCached(file, home)).pipeline?.tasks[0]?.command).toBe('echo a');
    writeFileSync(entry, '{ not json');
    expect((await loadPipelineFileCached(file, home)).pipeline?.tasks[0]?.command).toBe('echo a');
  });

  test('keeps no TypeScript pipeline, and loads without a writable FLOW_HOME', async () => {
    const ts = place('export default { tasks: { a: { run: "echo a" } } };\n', 'p.flow.ts');
    expect((await loadPipelineFileCached(ts.file, ts.home)).pipeline?.tasks[0]?.command).toBe('echo a');
    expect(() => ts.entries()).toThrow();
    const yaml = place('tasks:\n  a:\n    run: "echo a"\n');
    writeFileSync(join(yaml.home, 'cache'), 'a file where the directory would go');
    expect((await loadPipelineFileCached(yaml.file, yaml.home)).pipeline?.tasks[0]?.command).toBe('echo a');
    expect((await loadPipelineFileCached(resolve(yaml.file), yaml.home)).problems).toEqual([]);
  });

  test('makes no FLOW_HOME of its own', async () => {
    const { file, home } = place('tasks:\n  a:\n    run: "echo a"\n');
    const missing = join(home, 'not-yet');
    expect((await loadPipelineFileCached(file, missing)).pipeline?.tasks[0]?.command).toBe('echo a');
    expect(existsSync(missing)).toBe(false);
  });

  test('keeps at most 500 entries, dropping the oldest', async () => {
    const { file, home } = place('tasks:\n  a:\n    run: "echo a"\n');
    const cache = join(home, 'cache', 'pipelines');
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    for (let i = 0; i < 500; i++) writeFileSync(join(cache, `old${i}.json`), '{}', { mode: 0o600 });
    utimesSync(join(cache, 'old0.json'), 0, 0);
    await loadPipelineFileCached(file, home);
    const names = readdirSync(cache);
    expect(names.length).toBe(500);
    expect(names).not.toContain('old0.json');
  });
});
