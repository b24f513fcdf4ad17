/** `flow list`: the pipelines of the pipelines directory, with their schedules, and those that do not validate. */
import { loadDirectory } from '../../pipeline/discover.js';
import { nameFromFile } from '../../pipeline/normalize.js';
import { formatProblem } from '../../errors.js';
import { pipelinesDir } from '../../util/paths.js';
import { colorsFor, displayPath, writeLine, type Io } from '../ui.js';
import { table } from '../render/table.js';

export async function listCommand(flags: { dir?: string; json?: boolean }, io: Io): Promise<number> {
  const dir = pipelinesDir(flags.dir, io.env);
  const loaded = await loadDirectory(dir);
  const entries = loaded.map((entry) => ({
    name: entry.pipeline?.name ?? nameFromFile(entry.file),
    file: entry.file,
    schedule: entry.pipeline?.schedule ?? null,
    timezone: entry.pipeline?.timezone ?? null,
    tasks: entry.pipeline?.tasks.length ?? null,
    description: entry.pipeline?.description ?? null,
    valid: entry.pipeline !== undefined,
    problems: entry.problems.map(formatProblem),
  }));
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(entries, null, 2));
    return 0;
  }
  if (entries.length === 0) {
    writeLine(io.stderr, `no pipelines in ${dir} (create one with \`flow init\`, or set --dir or FLOW_PIPELINES)`);
    return 0;
  }
  const color = colorsFor(io.stdout, io.env);
  const rows = [['pipeline', 'schedule', 'timezone', 'tasks', 'file'].map((title) => color.dim(title))];
  for (const entry of entries) {
    rows.push([
      entry.valid ? entry.name : color.red(entry.name),
      entry.schedule ?? color.dim('-'),
      entry.timezone ?? color.dim('-'),
      entry.tasks === null ? color.red('invalid') : String(entry.tasks),
      displayPath(entry.file),
    ]);
  }
  table(rows).forEach((line) => writeLine(io.stdout, line));
  for (const entry of entries.filter((item) => !item.valid)) {
    for (const problem of entry.problems) writeLine(io.stdout, color.red(problem));
  }
  return 0;
}
