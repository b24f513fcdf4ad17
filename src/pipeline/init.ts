/**
 * `flow init`: a pipelines directory with two commented examples that run as they are. Never overwrites a file.
 * The YAML example's editor modeline points at the installed JSON Schema; the single executable has none on disk,
 * so there it writes the schema beside the examples and points there.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { shippedSchemaPath, shippedText } from '../util/package.js';

export const EXAMPLES = ['hello.flow.yaml', 'hello-ts.flow.ts'];

export interface InitResult {
  dir: string;
  written: string[];
  kept: string[];
}

export async function initPipelines(dir: string): Promise<InitResult> {
  await mkdir(dir, { recursive: true });
  const result: InitResult = { dir, written: [], kept: [] };
  const installed = shippedSchemaPath();
  const schema = installed ?? join(resolve(dir), SCHEMA_FILE);
  for (const name of EXAMPLES) {
    const text = shippedText(`examples/${name}`).replace(`$schema=../schema/${SCHEMA_FILE}`, `$schema=${schema}`);
    await writeNew(join(dir, name), text, result);
  }
  if (installed === undefined) await writeNew(schema, shippedText(`schema/${SCHEMA_FILE}`), result);
  return result;
}

const SCHEMA_FILE = 'pipeline.schema.json';

async function writeNew(target: string, text: string, result: InitResult): Promise<void> {
  try {
    await writeFile(target, text, { flag: 'wx' });
    result.written.push(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    result.kept.push(target);
  }
}
