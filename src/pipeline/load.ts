/**
 * One pipeline file in, a validated Pipeline or every problem with it out: parse → schema → rules → normalize, as
 * `{ pipeline, problems }`, never throwing for what is in the file.
 */
import { ValidationError, type Problem } from '../errors.js';
import { fromZodIssues, type RawProblem } from './issues.js';
import { nameProblem } from './names.js';
import { nameFromFile, normalizePipeline } from './normalize.js';
import { checkRules } from './rules.js';
import { tsPipelineSchema, yamlPipelineSchema } from './schema.js';
import type { SourceMap } from './source.js';
import type { Pipeline, PipelineDefinition } from './types.js';
import { parseYamlPipeline } from './yaml.js';
import { isTypeScriptFile, readPipelineText } from './read.js';

export { isTypeScriptFile } from './read.js';

export interface LoadedPipeline {
  file: string;
  pipeline: Pipeline | undefined;
  problems: Problem[];
  /** How long reading and validating the file took, in milliseconds: wall-clock time, and this process's CPU time. */
  durationMs?: number;
  cpuMs?: number;
}

/** Throws only when the file cannot be read at all (E_NOT_FOUND). */
export async function loadPipelineFile(path: string): Promise<LoadedPipeline> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const loaded = await loadFile(path);
  const used = process.cpuUsage(cpu);
  return { ...loaded, durationMs: Math.round(performance.now() - started), cpuMs: Math.round((used.user + used.system) / 1000) };
}

async function loadFile(path: string): Promise<LoadedPipeline> {
  const read = await readPipelineText(path);
  if (!('text' in read)) return { ...read, pipeline: undefined };
  return loadedFrom(read.file, await checkPipelineText(read.file, read.text));
}

/** What validation of a file's text gives: every problem, or the document the schema returned. */
export interface CheckedText {
  problems: Problem[];
  definition?: PipelineDefinition;
}

export function loadedFrom(file: string, checked: CheckedText): LoadedPipeline {
  const pipeline = checked.definition === undefined ? undefined : normalizePipeline(checked.definition, file, isTypeScriptFile(file) ? 'ts' : 'yaml');
  return { file, pipeline, problems: checked.problems };
}

export async function checkPipelineText(file: string, text: string): Promise<CheckedText> {
  const ts = isTypeScriptFile(file);
  const parsed = ts
    ? await (await import('./typescript.js')).loadTypeScriptPipeline(file, text)
    : parseYamlPipeline(text);
  const problems: Problem[] = parsed.problems.map((problem) => ({ ...problem, file, ...pathText(problem) }));
  if (problems.length > 0) return { problems };

  if (typeof parsed.data !== 'object' || parsed.data === null || Array.isArray(parsed.data)) {
    const what = parsed.data == null ? 'the file is empty' : 'expected a mapping of pipeline keys (name, schedule, tasks, ...)';
    return { problems: [{ file, line: 1, col: 1, path: '', message: what }] };
  }

  // The cron parser only for a pipeline that has a schedule: `flow run` of one without starts without it.
  const schedule = typeof (parsed.data as Record<string, unknown>).schedule === 'string' ? (await import('../schedule/index.js')).checkSchedule : undefined;
  const schema = ts ? tsPipelineSchema : yamlPipelineSchema;
  const result = schema.safeParse(parsed.data, { reportInput: true });
  const raw: RawProblem[] = [
    ...(result.success ? [] : fromZodIssues(result.error.issues)),
    ...checkRules(parsed.data as Record<string, unknown>, schedule),
  ];
  problems.push(...raw.map((problem) => place(problem, file, parsed.source)));
  const named = (parsed.data as Record<string, unknown>).name;
  if (named === undefined) {
    const fromFile = nameFromFile(file);
    const wrong = nameProblem(fromFile);
    if (wrong !== undefined) {
      problems.push({ file, line: 1, col: 1, path: '', message: `the file name gives the pipeline the name "${fromFile}", which ${wrong}: rename the file or set name:` });
    }
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  if (problems.length > 0 || !result.success) return { problems };
  return { problems, definition: result.data as PipelineDefinition };
}

/** Loads a file that must be valid: a Pipeline, or a ValidationError with every problem. */
export async function loadPipeline(path: string): Promise<Pipeline> {
  const loaded = await loadPipelineFile(path);
  if (loaded.pipeline === undefined) throw new ValidationError(loaded.problems);
  return loaded.pipeline;
}

export function place(problem: RawProblem, file: string, source: SourceMap): Problem {
  const position = source.locate(problem.path, problem.at);
  return { file, ...position, ...pathText(problem) };
}

export function pathText(problem: RawProblem): { path: string; message: string } {
  // A key can be a megabyte long; the path names it shortened, as messages do.
  const path = problem.path.map((segment) => (typeof segment === 'string' && segment.length > 60 ? `${segment.slice(0, 57)}...` : segment));
  return { path: path.join('.'), message: problem.message };
}
