#!/usr/bin/env node
// `flow --version` answers without loading the CLI, so scripts that probe for flow stay fast.
if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const cli = new URL('../dist/cli.js', import.meta.url);
  const { existsSync } = await import('node:fs');
  if (existsSync(cli)) {
    const { runCli } = await import(cli.href);
    await runCli(process.argv);
  } else {
    // A checkout installed without its dev dependencies (`npm install -g .` from a clone) has no dist/.
    const dir = new URL('..', import.meta.url).pathname;
    process.stderr.write(`flow: this copy of flow in ${dir} is not built: run \`npm ci && npm run build\` there, or install a packed one (\`npm pack\`, then \`npm install -g ./flow-cron-*.tgz\`)\n`);
    process.exitCode = 2;
  }
}
