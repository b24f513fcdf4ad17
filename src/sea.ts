/**
 * The single executable's entry (bundled as CommonJS by scripts/build-binary.mjs). `--version` answers without
 * loading the CLI, naming the Node.js runtime inside; everything else goes through the same `runCli` as the npm
 * package.
 */
import { SPAWNER_ARGUMENT } from './engine/spawner/protocol.js';
import { LOADER_ARGUMENT } from './daemon/loader/protocol.js';

declare const FLOW_VERSION: string;

const args = process.argv.slice(2);
// flow's spawner (src/engine/spawner), which flow starts from its own executable: SPAWNER_ARGUMENT and flow's pid.
if (args.length === 2 && args[0] === SPAWNER_ARGUMENT) {
  void import('./engine/spawner/server.js').then(({ serveSpawner }) => serveSpawner(Number(args[1])));
} else if (args.length === 1 && args[0] === LOADER_ARGUMENT) {
  // The daemon's pipeline loader (src/daemon/loader), which the daemon starts from its own executable.
  void import('./daemon/loader/server.js').then(({ serveLoader }) => serveLoader());
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${FLOW_VERSION} (node ${process.version})\n`);
} else {
  void import('./main.js').then(({ runCli }) => runCli(process.argv));
}
