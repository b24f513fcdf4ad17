/** `flow history [pipeline|run-id]` and `flow show <run-id>`. */
import { FlowError } from '../../errors.js';
import { RUN_STATUSES, TRIGGERS } from '../../engine/events.js';
import { looksLikeRunId } from '../../store/find-run.js';
import { pipelinesDir } from '../../util/paths.js';
import { runOrLatest } from '../run-target.js';
import { parseWhen } from '../../util/when.js';
import { colorsFor, writeLine, type Io } from '../ui.js';
import { openStore } from '../store.js';
import { withClusterHistory } from '../cluster-history.js';
import { historyLines } from '../render/history-table.js';
import { runDetailLines } from '../render/run-detail.js';

export interface HistoryFlags {
  limit?: number;
  status?: string;
  since?: string;
  trigger?: string;
  json?: boolean;
}

export async function historyCommand(ref: string | undefined, flags: HistoryFlags, io: Io): Promise<number> {
  if (ref !== undefined && looksLikeRunId(ref)) return showCommand(ref, flags, io);
  const now = new Date();
  checkChoice('--status', flags.status, RUN_STATUSES);
  checkChoice('--trigger', flags.trigger, TRIGGERS);
  const since = flags.since === undefined ? undefined : parseWhen(flags.since, now);
  if (flags.since !== undefined && since === undefined) {
    throw new FlowError('E_USAGE', `--since: "${flags.since}" is not a date, an ISO instant or a duration such as 7d`);
  }
  const query = { pipeline: ref, status: flags.status, trigger: flags.trigger, since, limit: flags.limit ?? 20 };
  // In cluster mode every scheduler host's runs are in Redis.
  const runs = (await withClusterHistory(io, (history) => history.list(query)))?.value ?? (await (await openStore(io)).list(query));
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(runs, null, 2));
    return 0;
  }
  if (runs.length === 0) {
    writeLine(io.stderr, ref === undefined ? 'no runs recorded yet' : `no runs of ${ref} match`);
    return 0;
  }
  historyLines(runs, colorsFor(io.stdout, io.env), now).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

/** `flow show <run-id | pipeline>`: a run (a unique prefix of its id will do), or a pipeline's latest run. */
export async function showCommand(ref: string, flags: { json?: boolean; dir?: string }, io: Io): Promise<number> {
  const cluster = await withClusterHistory(io, (history) => (looksLikeRunId(ref) ? history.find(ref) : history.latest(ref)));
  const run = cluster?.value ?? (await runOrLatest(await openStore(io), ref, pipelinesDir(flags.dir, io.env)));
  if (flags.json) writeLine(io.stdout, JSON.stringify(run, null, 2));
  else runDetailLines(run, colorsFor(io.stdout, io.env), new Date()).forEach((line) => writeLine(io.stdout, line));
  return 0;
}

function checkChoice(flag: string, value: string | undefined, choices: readonly string[]): void {
  if (value !== undefined && !choices.includes(value)) {
    throw new FlowError('E_USAGE', `${flag}: expected one of ${choices.join(', ')}, got "${value}"`);
  }
}
