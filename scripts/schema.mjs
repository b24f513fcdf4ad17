// Writes schema/pipeline.schema.json from the pipeline schema in src/pipeline/schema.ts (`npm run schema`).
// test/unit/json-schema.test.ts fails when the committed file and the schema drift apart.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'flow-schema-'));
try {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/pipeline/schema.ts'],
    outfile: join(out, 'schema.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const { pipelineJsonSchema } = await import(join(out, 'schema.mjs'));
  writeFileSync(join(root, 'schema', 'pipeline.schema.json'), `${JSON.stringify(pipelineJsonSchema(), null, 2)}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
