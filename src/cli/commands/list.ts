/**
 * `flow list`: the pipelines of the pipelines directory — schedule and in words, time zone, next run, last run's
 * status and time — and every load error (with whether a running daemon keeps a last good version scheduled).
 */
import { readPaused } from '../../control/paused.js';
import { readDaemonStatus } from '../../daemon/status-file.js';
import { formatProblem } from '../../errors.js';
import { loadDirectory } from '../../pipeline/discover.js';
import { nameFromFile } from '../../pipeline/normalize.js';
import { describeSchedule } from '../../schedule/describe.js';
import { nextFireTime, parseSchedule } from '../../schedule/index.js';
import { isoWithOffset } from '../../util/time.js';
import { systemTimeZone } from '../../util/timezone.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { openStore } from '../store.js';
import { colorsFor, displayPath, writeLine, type Io } from '../ui.js';
import { shortTime } from '../render/history-table.js';
import { paintStatus } from '../render/status.js';
import { table } from '../render/table.js';

export async function listCommand(flags: { dir?: string; json?: boolean }, io: Io): Promise<number> {
  const dir = pipelinesDir(flags.dir, io.env);
  const loaded = await loadDirectory(dir, { cache: flowHome(io.env) });
  const store = await openStore(io);
  const index = await store.index();
  const daemon = await readDaemonStatus(flowHome(io.env));
  const paused = readPaused(flowHome(io.env));
  const now = new Date();
  // The index is oldest first: the last entry seen per pipeline is its latest run.
  const lastRuns = new Map(index.runs.map((run) => [run.pipeline, run]));
  const entries = await Promise.all(
    loaded.map(async (entry) => {
      const pipeline = entry.pipeline;
      const name = pipeline?.name ?? nameFromFile(entry.file);
      const zone = pipeline?.timezone ?? systemTimeZone();
      const schedule = pipeline?.schedule === undefined ? undefined : parseSchedule(pipeline.schedule);
      const next = schedule === undefined || schedule.reboot ? undefined : nextFireTime(schedule, zone, now);
      const last = lastRuns.get(name);
      const kept = daemon?.pipelines.some((item) => item.file === entry.file && item.error !== null) ?? false;
      return {
        name,
        file: entry.file,
        schedule: pipeline?.schedule ?? null,
        schedule_words: schedule === undefined ? null : await describeSchedule(schedule),
        timezone: pipeline === undefined ? null : zone,
        next_run: next === undefined ? null : isoWithOffset(next, zone),
        last_run: last === undefined ? null : { id: last.id, status: last.status, started_at: last.started_at },
        tasks: pipeline?.tasks.length ?? null,
        description: pipeline?.description ?? null,
        valid: pipeline !== undefined,
        problems: entry.problems.map(formatProblem),
        daemon_keeps_last_good: kept,
        paused: paused.has(name),
        paused_at: paused.has(name) ? isoWithOffset(paused.get(name) as Date) : null,
      };
    }),
  );
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(entries, null, 2));
    return 0;
  }
  if (entries.length === 0) {
    writeLine(io.stderr, `no pipelines in ${dir} (create one with \`flow init\`, or set --dir or FLOW_PIPELINES)`);
    return 0;
  }
  const color = colorsFor(io.stdout, io.env);
  const rows = [['pipeline', 'schedule', 'when', 'timezone', 'next run', 'last run', 'file'].map((title) => color.dim(title))];
  for (const entry of entries) {
    rows.push([
      entry.valid ? entry.name : color.red(entry.name),
      entry.schedule ?? color.dim('-'),
      entry.schedule_words ?? (entry.valid ? color.dim('by hand') : color.red('invalid')),
      entry.timezone ?? color.dim('-'),
      entry.paused ? color.yellow('paused') : entry.next_run === null ? color.dim('-') : shortTime(entry.next_run),
      entry.last_run === null ? color.dim('never') : `${paintStatus(entry.last_run.status, color)} ${shortTime(entry.last_run.started_at)}`,
      displayPath(entry.file),
    ]);
  }
  table(rows).forEach((line) => writeLine(io.stdout, line));
  for (const entry of entries.filter((item) => !item.valid)) {
    const note = entry.daemon_keeps_last_good ? ' (the daemon keeps its last good version scheduled)' : '';
    for (const problem of entry.problems) writeLine(io.stdout, color.red(`${problem}${note}`));
  }
  return 0;
}
