/**
 * The single executable on a machine without Node.js: run from an empty directory with a PATH that holds no `node`,
 * it answers --version, runs a YAML and a TypeScript pipeline, fires a seconds schedule as a daemon, writes a systemd
 * unit that starts itself and lists history.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Running, fixture } from '../helpers/flow.js';
import { BINARY_X64, requireBinary, run, toolsWithoutNode } from '../helpers/binary.js';
import { count } from '../helpers/daemon.js';

describe('the single executable without Node.js', () => {
  test('--version, YAML and TypeScript pipelines, the daemon and history, from an empty directory', async () => {
    const binary = requireBinary(BINARY_X64);
    const f = fixture({
      'pipelines/yaml.flow.yaml': 'tasks:\n  a:\n    run: echo from yaml\n',
      'pipelines/lib/greeting.ts': "export const greeting = (who: string): string => `hello ${who}`;\n",
      'pipelines/typed.flow.ts': `import { definePipeline } from 'flow';
import { greeting } from './lib/greeting.ts';
export default definePipeline({ tasks: { a: { run: \`echo \${greeting('ts')}\` }, b: { depends_on: ['a'], run: async (ctx) => { ctx.log(greeting(ctx.task)); } } } });
`,
      'ticks/tick.flow.yaml': 'schedule: "* * * * * *"\ntasks:\n  a:\n    run: echo tick\n',
    });
    const empty = f.path('empty');
    mkdirSync(empty);
    const env = { ...f.env, PATH: toolsWithoutNode(f.path('tools'), binary) };
    const flow = (args: string[]) => run('flow', args, { cwd: empty, env });

    const noNode = await run('sh', ['-c', 'command -v node || echo none'], { cwd: empty, env });
    expect(noNode.stdout).toBe('none\n');

    const version = await flow(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+ \(node v24\.\d+\.\d+\)\n$/);

    const yaml = await flow(['run', f.path('pipelines', 'yaml.flow.yaml'), '--verbose']);
    expect(yaml.stderr).toBe('');
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^a\s+\| from yaml$/m);

    const typed = await flow(['run', f.path('pipelines', 'typed.flow.ts'), '--verbose']);
    expect(typed.stderr).toBe('');
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(/^a\s+\| hello ts$/m);
    expect(typed.stdout).toMatch(/^b\s+\| hello b$/m);

    const daemon = new Running(spawn('flow', ['daemon', '--dir', f.path('ticks')], { cwd: empty, env }));
    try {
      await daemon.waitFor('two scheduled runs', (out) => count(out.stdout, /run \S+ of tick success/) >= 2);
    } finally {
      daemon.signal('SIGTERM');
    }
    expect((await daemon.exited).code).toBe(0);

    // systemd gets the executable's own absolute path, found through the `flow` on PATH.
    const unit = await flow(['daemon', '--print-systemd-unit', '--dir', f.path('ticks')]);
    expect(unit.stdout).toContain(`\nExecStart=${realpathSync(binary)} daemon --dir `);

    const history = await flow(['history', '--limit', '20']);
    expect(history.code).toBe(0);
    expect(count(history.stdout, /\btick\s+schedule\b.*\bsuccess\b/)).toBeGreaterThanOrEqual(2);
    expect(history.stdout).toMatch(/\btyped\s+manual\b.*\bsuccess\b/);
    expect(history.stdout).toMatch(/\byaml\s+manual\b.*\bsuccess\b/);
    // Nothing of flow's was written where it ran.
    expect(readdirSync(empty)).toEqual([]);
  });
});
