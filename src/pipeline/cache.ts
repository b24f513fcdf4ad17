/**
 * Validated YAML pipelines kept under FLOW_HOME/cache/pipelines, so that commands that only read pipelines (`flow
 * list`, `flow next`, `flow run`) skip the YAML parser and the schema — most of their start-up — for a file that
 * has not changed since it was last validated.
 *
 * An entry holds the SHA-256 of the file's text and is used only when the file's text now has the same digest, for
 * the same build of flow (FLOW_BUILD, a digest of its sources, scripts/build-id.mjs), Node and time zone data:
 * comparing the text rather than size and mtime cannot be fooled by a file rewritten within the clock's
 * granularity. It holds the document the schema returned, not the normalized pipeline, which is cheap to make and
 * depends on the machine (the default concurrency is its CPU count).
 *
 * Kept are valid pipelines without environment values only: no file flow writes holds a value that could be a
 * secret (`secrets:`, names such as *_TOKEN, or the config file's `secrets:`, which a pipeline's loading does not
 * see), and a file that does not validate has problems that may quote its values. TypeScript pipelines are never
 * kept: what they compute depends on what they import.
 *
 * An entry decides which commands run, so only a private one is believed: FLOW_HOME and the cache directory the
 * user's own and writable by nobody else, the entry a regular file of the user's, 0600. Anything else is a miss;
 * writing is best effort (a read-only FLOW_HOME validates every time).
 */
import { createHash } from 'node:crypto';
import { constants, existsSync, lstatSync, statSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { ensurePrivateDir, ensurePrivateHome, openPrivate } from '../util/private-fs.js';
import type { LoadedPipeline } from './load.js';
import { normalizePipeline } from './normalize.js';
import { isTypeScriptFile, readPipelineText } from './read.js';
import type { Pipeline, PipelineDefinition } from './types.js';

declare const FLOW_BUILD: string;

/** Entries kept at most; past it, the least recently written go (temporary files run once should not pile up). */
const MAX_ENTRIES = 500;

interface Entry {
  key: string;
  file: string;
  /** SHA-256 of the file's text, hex. */
  digest: string;
  definition: PipelineDefinition;
}

/** `loadPipelineFile`, answered from the cache when the file's text was validated before and found valid. */
export async function loadPipelineFileCached(path: string, home: string): Promise<LoadedPipeline> {
  if (isTypeScriptFile(path)) return (await import('./load.js')).loadPipelineFile(path);
  const read = await readPipelineText(path);
  if (!('text' in read)) return { ...read, pipeline: undefined };
  const { file, text } = read;
  const dir = join(home, 'cache', 'pipelines');
  const entryFile = join(dir, `${nameOf(file)}.json`);
  // node:crypto is loaded already by every command that reads pipelines this way (run ids, durable files).
  const digest = createHash('sha256').update(text).digest('hex');
  const cached = await readEntry(home, dir, entryFile);
  if (cached !== undefined && cached.key === cacheKey() && cached.file === file && cached.digest === digest) {
    return { file, pipeline: normalizePipeline(cached.definition, file, 'yaml'), problems: [] };
  }
  const load = await import('./load.js');
  const checked = await load.checkPipelineText(file, text);
  const { definition } = checked;
  if (definition !== undefined && checked.problems.length === 0 && !hasEnv(definition)) {
    const json = exactJson({ key: cacheKey(), file, digest, definition });
    if (json !== undefined) await writeEntry(home, dir, entryFile, json);
  }
  return load.loadedFrom(file, checked);
}

/** Whether the document sets any environment value: in `env`, `defaults.env` or a task's `env`. */
function hasEnv(definition: PipelineDefinition): boolean {
  const some = (env: Record<string, unknown> | undefined): boolean => env !== undefined && Object.keys(env).length > 0;
  return some(definition.env) || some(definition.defaults?.env) || Object.values(definition.tasks).some((task) => some(task?.env));
}

/** `loadPipeline` through the cache: a Pipeline, or a ValidationError with every problem. */
export async function loadPipelineCached(path: string, home: string): Promise<Pipeline> {
  const loaded = await loadPipelineFileCached(path, home);
  if (loaded.pipeline === undefined) throw new ValidationError(loaded.problems);
  return loaded.pipeline;
}

function cacheKey(): string {
  const build = typeof FLOW_BUILD === 'string' ? FLOW_BUILD : 'dev';
  return `${build} ${process.version} ${process.versions.icu ?? ''} ${process.versions.tz ?? ''}`;
}

/** The entry's file name: the path hashed (FNV-1a, two lanes); the entry names its file, so a collision is a miss. */
function nameOf(file: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < file.length; i++) {
    const code = file.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The entry as JSON, or undefined when JSON would not give back the same values (-0, a number that is not finite,
 * a hole in a list, anything but plain objects and lists): then the file is validated each time.
 */
function exactJson(entry: Entry): string | undefined {
  let exact = true;
  const json = JSON.stringify(entry, function (this: unknown, key: string, value: unknown) {
    const original = (this as Record<string, unknown>)[key];
    if (typeof original === 'number') {
      if (!Number.isFinite(original) || Object.is(original, -0)) exact = false;
    } else if (original === undefined) {
      if (Array.isArray(this)) exact = false;
    } else if (typeof original === 'object' && original !== null) {
      const prototype: unknown = Object.getPrototypeOf(original);
      if (!Array.isArray(original) && prototype !== Object.prototype && prototype !== null) exact = false;
    } else if (original !== null && typeof original !== 'string' && typeof original !== 'boolean') {
      exact = false;
    }
    if (key === '__proto__') exact = false;
    return value;
  });
  return exact ? json : undefined;
}

function isPrivateDir(path: string, uid: number | undefined): boolean {
  try {
    const info = lstatSync(path);
    return info.isDirectory() && (uid === undefined || info.uid === uid) && (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

async function readEntry(home: string, dir: string, entryFile: string): Promise<Entry | undefined> {
  const uid = process.geteuid?.();
  try {
    // FLOW_HOME may itself be a link (statSync), the cache directories below it may not (lstat).
    const info = statSync(home);
    if ((uid !== undefined && info.uid !== uid) || (info.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  if (!isPrivateDir(join(home, 'cache'), uid) || !isPrivateDir(dir, uid)) return undefined;
  let handle;
  try {
    handle = await open(entryFile, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || (uid !== undefined && info.uid !== uid) || (info.mode & 0o077) !== 0) return undefined;
    const entry = JSON.parse(await handle.readFile('utf8')) as Partial<Entry> | null;
    if (typeof entry?.key !== 'string' || typeof entry.file !== 'string' || typeof entry.digest !== 'string') return undefined;
    if (typeof entry.definition !== 'object' || entry.definition === null || typeof entry.definition.tasks !== 'object') return undefined;
    return entry as Entry;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

async function writeEntry(home: string, dir: string, entryFile: string, json: string): Promise<void> {
  const temp = `${entryFile}.${process.pid}.tmp`;
  // A cache is no reason to make FLOW_HOME: `flow next <pipeline>` on a new machine leaves none behind.
  if (!existsSync(home)) return;
  try {
    ensurePrivateHome(home);
    ensurePrivateDir(home, dir);
    const handle = await openPrivate(temp, 'w');
    try {
      await handle.writeFile(json);
    } finally {
      await handle.close();
    }
    // A rename, so a reader sees the old entry or the new one, never half of one.
    await rename(temp, entryFile);
    await prune(dir);
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const aged = await Promise.all(names.map(async (name) => ({ name, at: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((x, y) => x.at - y.at);
  for (const { name } of aged.slice(0, names.length - MAX_ENTRIES)) await rm(join(dir, name), { force: true });
}
