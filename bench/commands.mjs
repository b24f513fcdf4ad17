// Start-up of everyday commands and validation of a large file. `commands`: `flow history --limit 20`, `flow list`,
// `flow next`, `flow status`, `flow show` and `flow run` of a one-task pipeline, each against `node -e 0` in the
// same round (the ratio is taken round by round, then its median), for the npm build and, when it is built, the
// single executable. Targets: read commands 2.5x node -e 0, flow run 4x. `list` and `run` read their pipelines from
// the cache of validated pipelines (src/pipeline/cache.ts), as they do once a file has been read; the rows marked
// `validating` empty the cache first, for the cost of a file just written. `validate`: `flow validate` of a
// 10,000-task file; target 1 s.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, median, sideBySide, timeCommand } from './lib.mjs';

const root = new URL('..', import.meta.url).pathname;
const binary = join(root, 'dist', 'flow-linux-x64');
const ROUNDS = 9;

const COMMANDS = [
  ['history --limit 20', ['history', '--limit', '20'], 2.5],
  ['list', ['list'], 2.5],
  ['next "*/5 * * * *"', ['next', '*/5 * * * *'], 2.5],
  ['next <pipeline>', ['next', 'p0'], 2.5],
  // Exits 1 here (no daemon runs), after reading what it reads when one does.
  ['status', ['status'], 2.5],
  ['show <pipeline>', ['show', 'one'], 2.5],
  ['run (one task)', ['run', 'one.flow.yaml'], 4],
  // The same two with the cache of validated pipelines emptied first: every file parsed and validated.
  ['list (validating)', ['list'], null],
  ['run (one task, validating)', ['run', 'one.flow.yaml'], null],
];

export async function commandsBench({ work, line, flowBin }) {
  const dir = join(work, 'commands');
  const pipelines = join(dir, 'pipelines');
  mkdirSync(pipelines, { recursive: true });
  for (let i = 0; i < 5; i++) writeFileSync(join(pipelines, `p${i}.flow.yaml`), `schedule: "${i * 7} 3 * * *"\ntasks:\n  a:\n    run: "true"\n  b:\n    run: "true"\n    depends_on: [a]\n`);
  writeFileSync(join(dir, 'one.flow.yaml'), 'tasks:\n  main:\n    run: "true"\n');
  const env = { ...process.env, FLOW_HOME: join(dir, 'home'), FLOW_PIPELINES: pipelines, NO_COLOR: '1' };
  const validatingEnv = { ...env, FLOW_HOME: join(dir, 'home-validating') };
  for (let i = 0; i < 20; i++) await timeCommand(process.execPath, [flowBin, 'run', 'one.flow.yaml'], { env, cwd: dir });
  const builds = [['npm build', [process.execPath, flowBin]]];
  if (existsSync(binary)) builds.push(['single executable', [binary]]);
  for (const [label, [file, ...prefix]] of builds) {
    const runners = { node: async () => (await timeCommand(process.execPath, ['-e', '0'])).ms };
    for (const [name, args, target] of COMMANDS) {
      // Another FLOW_HOME for the rows that validate, so that emptying its cache leaves the others' alone.
      const rowEnv = target === null ? validatingEnv : env;
      runners[name] = async () => {
        if (target === null) rmSync(join(validatingEnv.FLOW_HOME, 'cache'), { recursive: true, force: true });
        return (await timeCommand(file, [...prefix, ...args], { env: rowEnv, cwd: dir, allowFailure: name === 'status' })).ms;
      };
    }
    const times = await sideBySide(ROUNDS, runners);
    const parts = COMMANDS.map(([name, , target]) => {
      const ratios = times[name].map((ms, round) => ms / times.node[round]);
      return `${name} ${fmt(median(times[name]))} ${median(ratios).toFixed(2)}x (${target === null ? 'no target' : `target ${target}x`})`;
    });
    line(`commands ${label}, against node -e 0 (${fmt(median(times.node))}), median of ${ROUNDS} side-by-side ratios: ${parts.join('; ')}`);
  }
}

export async function validateBench({ work, line, flowBin }) {
  const n = 10_000;
  const file = join(work, 'validate-10k.flow.yaml');
  // Each task after the first depends on one earlier task: a tree, so rules and the cycle check have work to do.
  let text = 'tasks:\n';
  for (let i = 0; i < n; i++) text += `  t${i}:\n    run: "true"\n${i > 0 ? `    depends_on: [t${Math.floor(i / 2)}]\n` : ''}`;
  writeFileSync(file, text);
  const env = { ...process.env, FLOW_HOME: join(work, 'home-validate'), NO_COLOR: '1' };
  const times = await sideBySide(5, {
    validate: async () => (await timeCommand(process.execPath, [flowBin, 'validate', file], { env, cwd: work })).ms,
    node: async () => (await timeCommand(process.execPath, ['-e', '0'])).ms,
  });
  // The file's own load as `flow validate --json` reports it: wall and CPU time, the latter unmoved by a busy machine.
  const own = [];
  for (let i = 0; i < 3; i++) {
    const stdout = await new Promise((resolve, reject) =>
      execFile(process.execPath, [flowBin, 'validate', '--json', file], { env, cwd: work }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    own.push(JSON.parse(stdout)[0]);
  }
  const loadWall = median(own.map((result) => result.duration_ms));
  const loadCpu = median(own.map((result) => result.cpu_ms));
  line(`validate ${n.toLocaleString('en')} tasks: flow validate ${fmt(median(times.validate))} whole command (target 1 s), of which loading the file ${fmt(loadWall)} (CPU ${fmt(loadCpu)}); node -e 0 ${fmt(median(times.node))}`);
}
