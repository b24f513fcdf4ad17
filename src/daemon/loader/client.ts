/**
 * The catalog's pipeline files loaded apart from the daemon's process: YAML files by a short-lived loader process
 * (server.ts) that sends back plain pipelines, problems, parsed schedules and the offset tables of their zones, then
 * ends. The YAML parser, the schema library and ICU's locale data never load into the long-lived process, and
 * neither the garbage that loading makes nor the memory its parsers took stays behind: an idle daemon keeps only
 * what it schedules. A reload sends back only the YAML files whose text changed since they were last checked (what
 * one gives depends on its text alone; the loader compares digests of what it reads). TypeScript files are loaded
 * here, every time, as before: their function tasks are code that has to run in this process.
 */
import { spawn } from 'node:child_process';
import { deserialize } from 'node:v8';
import { FlowError } from '../../errors.js';
import { listPipelineFiles, markDuplicateNames } from '../../pipeline/discover.js';
import { isTypeScriptFile } from '../../pipeline/read.js';
import { seedZoneTables } from '../../schedule/zone.js';
import { embedded, helperCommand, helperEnvironment } from '../../util/package.js';
import type { CatalogLoad, LoadRequest, Unchanged } from './job.js';
import { LOADER_ARGUMENT, type LoadReply } from './protocol.js';
import { shareAlike } from './share.js';

export type { CatalogLoad } from './job.js';

export class PipelineLoader {
  /** Each YAML file's last result, with the digest of its text: a reload asks for the file only if it changed. */
  private readonly last = new Map<string, CatalogLoad>();

  /** Every pipeline file of the directory, loaded, in file order; pipelines that share a name are refused. */
  async load(dir: string): Promise<CatalogLoad[]> {
    const files = await listPipelineFiles(dir);
    const here = files.filter(isTypeScriptFile);
    const apart = files.filter((file) => !isTypeScriptFile(file)).map((file) => ({ file, digest: this.last.get(file)?.digest }));
    const [fromLoader, fromHere] = await Promise.all([loadApart(apart), loadHere(here.map((file) => ({ file })))]);
    const byFile = new Map<string, CatalogLoad>();
    for (const entry of fromLoader) {
      const result = 'unchanged' in entry ? this.last.get(entry.file) : entry;
      if (result === undefined) continue;
      byFile.set(entry.file, result);
      if (result.digest !== undefined) this.last.set(entry.file, result);
    }
    for (const entry of fromHere) if (!('unchanged' in entry)) byFile.set(entry.file, entry);
    for (const file of this.last.keys()) if (!byFile.has(file)) this.last.delete(file);
    // Copies: refusing a name defined twice changes them, and a kept result must stay as its text gave it.
    const loaded = files.flatMap((file) => {
      const entry = byFile.get(file);
      return entry === undefined ? [] : [{ ...entry, problems: [...entry.problems] }];
    });
    markDuplicateNames(loaded);
    return loaded;
  }
}

async function loadHere(requests: readonly LoadRequest[]): Promise<(CatalogLoad | Unchanged)[]> {
  if (requests.length === 0) return [];
  return (await (await import('./job.js')).loadForCatalog(requests)).loaded;
}

async function loadApart(requests: readonly LoadRequest[]): Promise<(CatalogLoad | Unchanged)[]> {
  if (requests.length === 0) return [];
  // From the TypeScript sources (under test) there is no loader script to start.
  if (!embedded && import.meta.url.endsWith('.ts')) return loadHere(requests);
  const reply = await ask(requests);
  if ('failure' in reply) throw new FlowError(reply.failure.code, reply.failure.message);
  // The zones' tables as the loader made them: times in those zones are worked out here without ICU.
  seedZoneTables(reply.zones);
  shareAlike(reply.loaded);
  return reply.loaded;
}

function ask(requests: readonly LoadRequest[]): Promise<LoadReply> {
  const [file, ...args] = helperCommand(LOADER_ARGUMENT, 'loader.js');
  return new Promise((resolve, reject) => {
    const child = spawn(file as string, args, { stdio: ['pipe', 'pipe', 'pipe'], env: helperEnvironment() });
    const output: Buffer[] = [];
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-4096)));
    // A loader that died before reading everything: its exit says why.
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) {
        try {
          resolve(deserialize(Buffer.concat(output)) as LoadReply);
          return;
        } catch {
          // told below
        }
      }
      const why = signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
      reject(new Error(`the pipeline loader (${[file, ...args].join(' ')}) ${why}${errors.trim() === '' ? '' : `: ${errors.trim()}`}`));
    });
    child.stdin.end(JSON.stringify(requests));
  });
}
