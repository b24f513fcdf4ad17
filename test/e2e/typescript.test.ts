import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';

describe('TypeScript pipelines', () => {
  test('run a shell task and a function task that sees the context and writes to its log', async () => {
    const f = fixture({
      'train.flow.ts': `
import { definePipeline, type TaskContext } from 'flow';
import { readFileSync, writeFileSync } from 'node:fs';

export default definePipeline({
  name: 'train-model',
  schedule: '0 3 * * 1',
  env: { MODEL: 'tiny' },
  tasks: {
    fetch: { run: 'echo "rows=3" > data.txt' },
    train: {
      depends_on: ['fetch'],
      run: async (ctx: TaskContext) => {
        const data = readFileSync('data.txt', 'utf8').trim();
        ctx.log('training', ctx.env.MODEL, 'on', data);
        writeFileSync('context.json', JSON.stringify({ pipeline: ctx.pipeline, task: ctx.task, runId: ctx.runId, attempt: ctx.attempt, ds: ctx.ds, logical: ctx.logicalDate }));
      },
    },
  },
});
`,
    });
    const result = await f.flow(['run', 'train.flow.ts', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as { id: string; pipeline: string; tasks: { id: string; attempts: { log: string }[] }[] };
    expect(run.pipeline).toBe('train-model');
    const context = JSON.parse(readFileSync(f.path('context.json'), 'utf8')) as Record<string, unknown>;
    expect(context).toMatchObject({ pipeline: 'train-model', task: 'train', runId: run.id, attempt: 1 });
    const log = run.tasks.find((task) => task.id === 'train')?.attempts[0]?.log ?? '';
    expect(readFileSync(log, 'utf8')).toBe('training tiny on rows=3\n');
  });

  test('a function task that throws fails with the error in its log, and is retried', async () => {
    const f = fixture({
      'boom.flow.ts': `
import { definePipeline } from 'flow';
export default definePipeline({
  tasks: { boom: { retries: 1, retry_delay: '10ms', run: () => { throw new Error('no data for today'); } } },
});
`,
    });
    const result = await f.flow(['run', 'boom.flow.ts']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "boom" failed: threw Error: no data for today');
    expect(result.stdout).toMatch(/boom\s+failed\s+2/);
  });

  test('a function task that ignores its timeout is abandoned after the kill grace', async () => {
    const f = fixture({
      'hang.flow.ts': `
import { definePipeline } from 'flow';
export default definePipeline({
  tasks: { hang: { timeout: '300ms', kill_grace: '200ms', run: () => new Promise(() => setInterval(() => undefined, 1000)) } },
});
`,
    });
    // The task never settles: that the command ends at all (within its deadline) shows it was abandoned.
    const result = await f.flow(['run', 'hang.flow.ts']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Task "hang" timed out after 300ms');
  });

  test('a file that throws or exports no pipeline is reported with its file', async () => {
    const f = fixture({
      'throws.flow.ts': "import { definePipeline } from 'flow';\n\nthrow new Error('config missing');\nexport default definePipeline({ tasks: {} });\n",
      'empty.flow.ts': 'export const x = 1;\n',
      'typo.flow.ts': "import { definePipeline } from 'flow';\nexport default definePipeline({\n  tasks: {\n    a: { run: 'true', retires: 2 },\n  },\n} as never);\n",
    });
    const result = await f.flow(['validate', '.']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^throws\.flow\.ts:3:\d+: failed to load: config missing$/m);
    expect(result.stdout).toMatch(/^empty\.flow\.ts: exports no pipeline/m);
    expect(result.stdout).toMatch(/^typo\.flow\.ts:4:\d+: tasks\.a\.retires: unknown key "retires" \(did you mean "retries"\?\)$/m);
  });

  test("a pipeline's imports resolve from its folder: relative files, CommonJS and ESM-only packages, node: built-ins", async () => {
    const f = fixture({
      'p/node_modules/esm-only/package.json': '{"name":"esm-only","type":"module","exports":"./index.js"}\n',
      'p/node_modules/esm-only/index.js': 'export const shout = (s) => s.toUpperCase();\n',
      'p/node_modules/cjs-pkg/package.json': '{"name":"cjs-pkg","main":"index.js"}\n',
      'p/node_modules/cjs-pkg/index.js': 'exports.twice = (s) => s + s;\n',
      'p/lib/word.ts': "export const word: string = 'hi';\n",
      'p/imports.flow.ts': `import { definePipeline } from 'flow';
import { basename } from 'node:path';
import { shout } from 'esm-only';
import { twice } from 'cjs-pkg';
import { word } from './lib/word.ts';
export default definePipeline({ tasks: { a: { run: \`echo \${shout(word)} \${twice('x')} \${basename('/a/b')}\` } } });
`,
    });
    const result = await f.flow(['run', 'p/imports.flow.ts', '--verbose']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^a\s+\| HI xx b$/m);
  });

  test('a missing package, a missing file and a syntax error: one line each, naming the file and what to do', async () => {
    const f = fixture({
      'missing.flow.ts': "import { definePipeline } from 'flow';\nimport { nope } from 'not-installed-pkg';\nexport default definePipeline({ tasks: { a: { run: `echo ${nope}` } } });\n",
      'relative.flow.ts': "import { x } from './gone.ts';\nexport default { tasks: { a: { run: x } } };\n",
      'syntax.flow.ts': "import { definePipeline } from 'flow';\nexport default definePipeline({ tasks: { a: { run: 'echo' } } );\n",
    });
    const validate = await f.flow(['validate', '.']);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toMatch(new RegExp(`^missing\\.flow\\.ts:2:\\d+: cannot find package "not-installed-pkg": install it beside the pipeline \\(\`npm install not-installed-pkg\` in ${f.dir}\\)$`, 'm'));
    expect(validate.stdout).toMatch(/^relative\.flow\.ts(:\d+:\d+)?: cannot find "\.\/gone\.ts": no such file/m);
    expect(validate.stdout).toMatch(/^syntax\.flow\.ts:2:\d+: syntax error: Unexpected token, expected ","$/m);
    const run = await f.flow(['run', 'syntax.flow.ts']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
