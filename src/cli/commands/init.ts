/** `flow init [dir]` */
import { initPipelines } from '../../pipeline/init.js';
import { pipelinesDir } from '../../util/paths.js';
import { displayPath, writeLine, type Io } from '../ui.js';

export async function initCommand(dir: string | undefined, flags: { json?: boolean }, io: Io): Promise<number> {
  const result = await initPipelines(dir ?? pipelinesDir(undefined, io.env));
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(result, null, 2));
    return 0;
  }
  for (const file of result.written) writeLine(io.stdout, `wrote ${displayPath(file)}`);
  for (const file of result.kept) writeLine(io.stdout, `kept ${displayPath(file)} (already there)`);
  const example = displayPath(result.written[0] ?? result.kept[0] ?? result.dir);
  writeLine(io.stdout, `\nrun one now:  flow run ${example}\ncheck them:   flow validate ${displayPath(result.dir)}`);
  return 0;
}
