/**
 * The npm route as a user takes it: `npm pack`, then `npm install -g` of that tarball into a prefix of one's own.
 * Nothing may need a dev dependency at install time: the tarball carries dist/ and declares no install scripts.
 * As root, the installed command is also run as an unprivileged user (nobody).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { COMMAND_MS, ROOT, fixture } from '../helpers/flow.js';
import { run } from '../helpers/binary.js';

describe('npm install -g of the packed tarball', () => {
  test('installs without dev dependencies and runs YAML and TypeScript pipelines', async () => {
    const f = fixture({ 'p/hello.flow.ts': "import { definePipeline } from 'flow';\nexport default definePipeline({ tasks: { a: { run: 'echo packed' } } });\n" });
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook]).toBeUndefined();
    // --ignore-scripts: npm test has just built dist/; prepack would only build it again.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', f.dir], { cwd: ROOT, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((file) => file.path) ?? [];
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('dist/types/index.d.ts');
    expect(files.filter((file) => file.startsWith('dist/flow-linux') || file.startsWith('dist/sea'))).toEqual([]);

    const prefix = f.path('global');
    const install = await run('npm', ['install', '-g', '--prefer-offline', '--no-audit', '--no-fund', '--prefix', prefix, join(f.dir, packed[0]?.filename ?? '')], {
      cwd: f.dir,
      env: { ...process.env, npm_config_update_notifier: 'false' },
      timeoutMs: 2 * COMMAND_MS,
    });
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/install-scripts|esbuild/);

    const flow = join(prefix, 'bin', 'flow');
    const asUser = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] : [];
    if (asUser.length > 0) execFileSync('chmod', ['-R', 'a+rwX', f.dir]);
    const env = { ...f.env, FLOW_HOME: f.path('home-user') };
    const command = (args: string[]) => run(asUser[0] ?? flow, [...asUser.slice(1), ...(asUser.length > 0 ? [flow] : []), ...args], { cwd: f.dir, env });
    const version = await command(['--version']);
    expect(version.stdout).toBe(`${manifest.version}\n`);
    const typed = await command(['run', 'p/hello.flow.ts', '--verbose']);
    expect(typed.stderr).toBe('');
    expect(typed.stdout).toMatch(/^a\s+\| packed$/m);
    // A NODE_OPTIONS that would make node fail before flow's first line is kept from flow's node, not from its tasks.
    f.write({ 'p/options.flow.yaml': 'tasks:\n  a:\n    run: echo "options=$NODE_OPTIONS"\n' });
    if (asUser.length > 0) execFileSync('chmod', ['-R', 'a+rwX', f.path('p')]);
    const withOptions = await run(asUser[0] ?? flow, [...asUser.slice(1), ...(asUser.length > 0 ? [flow] : []), 'run', 'p/options.flow.yaml', '--verbose'], {
      cwd: f.dir,
      env: { ...env, NODE_OPTIONS: '--require /nonexistent.js' },
      timeoutMs: 60_000,
    });
    expect(withOptions.stderr).toBe('');
    expect(withOptions.stdout).toMatch(/^a\s+\| options=--require \/nonexistent\.js$/m);
    const init = await command(['init', f.path('p2')]);
    expect(init.code).toBe(0);
    expect((await command(['run', f.path('p2', 'hello.flow.yaml')])).code).toBe(0);
  }, 8 * COMMAND_MS);
});
