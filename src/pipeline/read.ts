/**
 * A pipeline file's text, read as every loader reads it: bounded by the size limit, a regular file only. What is
 * wrong with the file itself is a problem at 1:1; only a file that cannot be read at all throws (E_NOT_FOUND).
 */
import { resolve } from 'node:path';
import { FlowError, type Problem } from '../errors.js';
import { readBounded } from '../util/read-bounded.js';
import { grouped, LIMITS } from './limits.js';

/** A TypeScript pipeline (loaded through jiti) rather than a YAML one. */
export function isTypeScriptFile(file: string): boolean {
  return /\.(ts|mts)$/.test(file);
}

export type PipelineText = { file: string; text: string } | { file: string; problems: Problem[] };

export async function readPipelineText(path: string): Promise<PipelineText> {
  const file = resolve(path);
  try {
    const read = await readBounded(file, LIMITS.fileBytes);
    if ('text' in read) return { file, text: read.text };
    const why = 'tooLarge' in read
      ? `the file is ${grouped(read.tooLarge)} bytes; a pipeline file holds at most ${grouped(LIMITS.fileBytes)}`
      : 'not a regular file';
    return { file, problems: [{ file, line: 1, col: 1, path: '', message: why }] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read it (${code ?? String(error)})`;
    throw new FlowError('E_NOT_FOUND', `${path}: ${why}`, { cause: error });
  }
}
