/** `flow init`: a pipelines directory with two commented examples that run as they are. Never overwrites a file. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../util/package.js';

export const EXAMPLES = ['hello.flow.yaml', 'hello-ts.flow.ts'];

export interface InitResult {
  dir: string;
  written: string[];
  kept: string[];
}

export async function initPipelines(dir: string): Promise<InitResult> {
  await mkdir(dir, { recursive: true });
  const root = packageRoot();
  const result: InitResult = { dir, written: [], kept: [] };
  for (const name of EXAMPLES) {
    const target = join(dir, name);
    // Point the editor modeline at the installed schema, wherever the directory is.
    const text = (await readFile(join(root, 'examples', name), 'utf8')).replace('$schema=../schema/', `$schema=${join(root, 'schema')}/`);
    try {
      await writeFile(target, text, { flag: 'wx' });
      result.written.push(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      result.kept.push(target);
    }
  }
  return result;
}
