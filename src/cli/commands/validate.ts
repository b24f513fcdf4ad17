/** `flow validate [paths…]`: every problem of every pipeline, each as `file:line:col: path: message`. */
import { formatProblem } from '../../errors.js';
import { validatePaths } from '../../pipeline/validate.js';
import { pipelinesDir } from '../../util/paths.js';
import { colorsFor, displayPath, writeLine, type Io } from '../ui.js';

export async function validateCommand(paths: string[], flags: { dir?: string; json?: boolean }, io: Io): Promise<number> {
  const targets = paths.length > 0 ? paths : [pipelinesDir(flags.dir, io.env)];
  const results = await validatePaths(targets);
  const problems = results.flatMap((result) => result.problems);
  if (flags.json) {
    const data = results.map((result) => ({
      file: result.file,
      pipeline: result.pipeline?.name ?? null,
      valid: result.pipeline !== undefined,
      problems: result.problems,
      duration_ms: result.durationMs ?? null,
      cpu_ms: result.cpuMs ?? null,
    }));
    writeLine(io.stdout, JSON.stringify(data, null, 2));
    return problems.length > 0 ? 2 : 0;
  }
  const color = colorsFor(io.stdout, io.env);
  for (const problem of problems) writeLine(io.stdout, formatProblem({ ...problem, file: displayPath(problem.file) }));
  const files = results.length;
  const bad = results.filter((result) => result.problems.length > 0).length;
  if (files === 0) writeLine(io.stderr, `no pipeline files in ${targets.join(', ')}`);
  else if (bad === 0) writeLine(io.stdout, color.green(`${files} pipeline${files === 1 ? '' : 's'} valid`));
  else writeLine(io.stdout, color.red(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad} of ${files} file${files === 1 ? '' : 's'}`));
  return problems.length > 0 ? 2 : 0;
}
