/**
 * `flow trigger <pipeline>`: asks the running daemon to start a run now (trigger `api`) and prints its id; `--wait`
 * waits for its end and exits as `flow run` would, `--follow` also streams its tasks' output.
 */
import { ApiClient, NoDaemonError } from '../../api/client.js';
import { FlowError } from '../../errors.js';
import { flowHome } from '../../util/paths.js';
import { followRun } from '../follow-run.js';
import { paintStatus } from '../render/status.js';
import { openStore } from '../store.js';
import { colorsFor, writeLine, type Io } from '../ui.js';
import { parseParamFlags } from '../params.js';
import { runExitCode, waitForEnd } from '../wait-run.js';

export interface TriggerFlags {
  date?: string;
  param?: string[];
  wait?: boolean;
  follow?: boolean;
  json?: boolean;
}

export async function triggerCommand(name: string, flags: TriggerFlags, io: Io): Promise<number> {
  const home = flowHome(io.env);
  const params = parseParamFlags(flags.param);
  let started: { run_id: string; pipeline: string };
  try {
    started = await new ApiClient(home).call('POST', `/pipelines/${encodeURIComponent(name)}/trigger`, { date: flags.date, params });
  } catch (error) {
    if (error instanceof NoDaemonError) {
      throw new FlowError('E_NO_DAEMON', `${error.message}: nothing can start ${name} in the background`, {
        hint: `run it in the foreground with \`flow run ${name}\`, or start the daemon with \`flow daemon\``,
      });
    }
    throw error;
  }
  const color = colorsFor(io.stdout, io.env);
  if (!flags.wait && !flags.follow) {
    writeLine(io.stdout, flags.json ? JSON.stringify(started, null, 2) : started.run_id);
    return 0;
  }
  if (!flags.json) writeLine(io.stderr, `started ${started.pipeline}: run ${started.run_id}`);
  const store = await openStore(io);
  const ref = { pipeline: started.pipeline, id: started.run_id };
  const record = flags.follow ? await followRun(store, ref, { print: (line) => writeLine(io.stdout, line), color }) : await waitForEnd(store, ref);
  if (flags.json) writeLine(io.stdout, JSON.stringify(record, null, 2));
  else writeLine(io.stderr, `run ${record.id} of ${record.pipeline}: ${paintStatus(record.status, colorsFor(io.stderr, io.env))}`);
  return runExitCode(record.status);
}
