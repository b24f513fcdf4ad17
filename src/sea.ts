/**
 * The single executable's entry (bundled as CommonJS by scripts/build-binary.mjs). `--version` answers without
 * loading the CLI, naming the Node.js runtime inside; everything else goes through the same `runCli` as the npm
 * package.
 */
declare const FLOW_VERSION: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${FLOW_VERSION} (node ${process.version})\n`);
} else {
  void import('./main.js').then(({ runCli }) => runCli(process.argv));
}
