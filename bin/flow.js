#!/bin/sh
':' //; case "$1" in run|retry|backfill|worker) set -- --max-semi-space-size=2 "$0" "$@";; daemon) set -- --max-semi-space-size=8 "$0" "$@";; *) set -- "$0" "$@";; esac; [ -z "${NODE_OPTIONS+set}" ] && exec node "$@"; FLOW_NODE_OPTIONS="$NODE_OPTIONS" exec env -u NODE_OPTIONS node "$@"
// The line above is sh (for sh, ':' is a command; for JavaScript, a string and a comment): it starts node without
// the user's NODE_OPTIONS, which could otherwise break flow before its first line (say, a --require of a file that
// is gone), as the single executable ignores it too. Tasks still get it: it is put back into the environment here.
// Commands that start tasks keep V8's young generation small, the daemon less so (RUNNER_V8_FLAGS and DAEMON_V8_FLAGS
// in src/util/package.ts say why).
if (process.env.FLOW_NODE_OPTIONS !== undefined) {
  process.env.NODE_OPTIONS = process.env.FLOW_NODE_OPTIONS;
  delete process.env.FLOW_NODE_OPTIONS;
}
// `flow --version` answers without loading the CLI, so scripts that probe for flow stay fast.
if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const cli = new URL('../dist/cli.js', import.meta.url);
  const { existsSync } = await import('node:fs');
  if (existsSync(cli)) {
    await enableCompileCache();
    const { runCli } = await import(cli.href);
    await runCli(process.argv);
  } else {
    // A checkout installed without its dev dependencies (`npm install -g .` from a clone) has no dist/.
    const dir = new URL('..', import.meta.url).pathname;
    process.stderr.write(`flow: this copy of flow in ${dir} is not built: run \`npm ci && npm run build\` there, or install a packed one (\`npm pack\`, then \`npm install -g ./flow-cron-*.tgz\`)\n`);
    process.exitCode = 2;
  }
}

/**
 * Node >= 22.1 can keep the compiled code of flow's modules between runs, which spares most of a short command's
 * start-up. The cache lives in the user's own cache directory, made private; never in a shared temporary directory,
 * where another user could plant compiled code. A cache that cannot be had is no cache (Node falls back by itself).
 */
async function enableCompileCache() {
  const module = await import('node:module');
  if (typeof module.enableCompileCache !== 'function' || process.env.NODE_COMPILE_CACHE !== undefined) return;
  const { mkdirSync, statSync } = await import('node:fs');
  const { homedir } = await import('node:os');
  const base = process.env.XDG_CACHE_HOME || `${process.env.HOME || homedir()}/.cache`;
  const dir = `${base}/flow/compile-cache`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    if (stat.uid !== process.getuid?.() || (stat.mode & 0o077) !== 0) return;
    module.enableCompileCache(dir);
  } catch {
    // A read-only or missing home: start without the cache.
  }
}
