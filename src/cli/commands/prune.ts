/** `flow prune`: apply retention (flags, else the config file's, else the defaults) to every pipeline now. */
import { writeLine, type Io } from '../ui.js';
import { openServices } from '../services.js';

export async function pruneCommand(flags: { dryRun?: boolean; keepRuns?: number; keepDays?: number; json?: boolean }, io: Io): Promise<number> {
  const { store } = await openServices(io);
  const retention = { keepRuns: flags.keepRuns ?? store.retention.keepRuns, keepDays: flags.keepDays ?? store.retention.keepDays };
  const result = await store.prune({ dryRun: flags.dryRun ?? false, retention });
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify({ dry_run: flags.dryRun ?? false, ...retention, removed: result.removed, bytes: result.bytes }, null, 2));
    return 0;
  }
  const verb = flags.dryRun ? 'would remove' : 'removed';
  for (const ref of result.removed) writeLine(io.stdout, `${verb} ${ref.pipeline} ${ref.id}`);
  const mib = (result.bytes / 1024 / 1024).toFixed(1);
  writeLine(io.stdout, `${verb} ${result.removed.length} run${result.removed.length === 1 ? '' : 's'} (${mib} MiB), keeping the newest ${retention.keepRuns} per pipeline and none older than ${retention.keepDays} days`);
  return 0;
}
