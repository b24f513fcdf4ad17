/** `flow hooks test <pipeline>`: fire its hooks now with a made-up context, and say how each went. */
import { loadGlobalConfig } from '../../config/global.js';
import { FlowError } from '../../errors.js';
import { testHooks } from '../../notify/test-hooks.js';
import { resolvePipelineFile } from '../../pipeline/discover.js';
import { loadPipeline } from '../../pipeline/load.js';
import type { HookEvent } from '../../pipeline/types.js';
import { tailLines } from '../../store/log-files.js';
import { formatDuration } from '../../util/duration.js';
import { pipelinesDir } from '../../util/paths.js';
import { hookName } from '../services.js';
import { colorsFor, writeLine, type Io } from '../ui.js';

const EVENTS: HookEvent[] = ['on_failure', 'on_retry', 'on_success', 'on_start', 'on_sla_miss'];

export async function hooksTestCommand(ref: string, flags: { event?: string; task?: string; dir?: string; json?: boolean }, io: Io): Promise<number> {
  const event = (flags.event ?? 'on_failure') as HookEvent;
  if (!EVENTS.includes(event)) throw new FlowError('E_USAGE', `--event: expected one of ${EVENTS.join(', ')}, got "${flags.event ?? ''}"`);
  const pipeline = await loadPipeline(await resolvePipelineFile(ref, pipelinesDir(flags.dir, io.env)));
  const config = await loadGlobalConfig(io.env);
  const { results, logDir } = await testHooks({ pipeline, global: config, event, task: flags.task, env: io.env });
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(results, null, 2));
  } else if (results.length === 0) {
    const where = flags.task === undefined ? `pipeline "${pipeline.name}" or the config file` : `task "${flags.task}"`;
    writeLine(io.stderr, `no ${event} hooks are set for ${where}`);
    return 2;
  } else {
    const color = colorsFor(io.stdout, io.env);
    for (const hook of results) {
      const mark = hook.error === null ? color.green('ok') : color.red(`failed: ${hook.error}`);
      writeLine(io.stdout, `${hookName(hook)}: ${mark} (${formatDuration(hook.duration_ms)})`);
      writeLine(io.stdout, color.dim(`  $ ${hook.command}`));
      for (const line of tailLines(hook.log, 5)) writeLine(io.stdout, color.dim(`  | ${line}`));
    }
    writeLine(io.stdout, color.dim(`output of each hook: ${logDir}`));
  }
  return results.every((hook) => hook.error === null) ? 0 : 1;
}
