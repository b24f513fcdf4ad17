/**
 * The end of every command's `--help`: two or three real examples, and the environment variables the command reads,
 * kept next to the parser (program.ts adds them) so help and behaviour cannot drift apart.
 */
import type { Command } from 'commander';

const HOME = 'FLOW_HOME (history, logs, the daemon\'s socket; default ~/.local/state/flow)';
const PIPELINES = 'FLOW_PIPELINES (the pipelines directory; default ~/.config/flow/pipelines)';
const CONFIG = 'FLOW_CONFIG (the config file: global hooks, retention; default ~/.config/flow/config.yaml)';
const REDIS = 'FLOW_REDIS_URL (cluster mode: the Redis, over the config file\'s cluster.redis)';
const COLOR = 'NO_COLOR, FORCE_COLOR (colour)';

interface Help {
  examples: string[];
  env: string[];
}

const HELP: Record<string, Help> = {
  run: { examples: ['flow run nightly-etl', 'flow run nightly-etl --param region=us --date 2026-03-26', 'flow run --name backup -- /usr/local/bin/backup.sh --full'], env: [HOME, PIPELINES, CONFIG, COLOR] },
  trigger: { examples: ['flow trigger nightly-etl', 'flow trigger nightly-etl --param region=us --wait', 'flow trigger nightly-etl --follow'], env: [HOME] },
  stop: { examples: ['flow stop 20261122T0230', 'flow stop nightly-etl', 'flow stop nightly-etl --no-wait'], env: [HOME, PIPELINES] },
  pause: { examples: ['flow pause nightly-etl', 'flow pause nightly-etl --json'], env: [HOME, PIPELINES] },
  unpause: { examples: ['flow unpause nightly-etl', 'flow unpause nightly-etl --json'], env: [HOME, PIPELINES] },
  backfill: { examples: ['flow backfill nightly-etl --from 2026-03-01 --to 2026-03-07', 'flow backfill nightly-etl --from 2026-03-01 --to 2026-03-31 --parallel 4 --rerun failed', 'flow backfill nightly-etl --from 2026-03-01 --to 2026-03-02 --dry-run'], env: [HOME, PIPELINES, CONFIG, COLOR] },
  retry: { examples: ['flow retry 20261122T0230', 'flow retry 20261122T0230 --task load --downstream'], env: [HOME, CONFIG, COLOR] },
  validate: { examples: ['flow validate', 'flow validate ./etl.flow.yaml --json'], env: [PIPELINES] },
  next: { examples: ['flow next "30 2 * * *"', 'flow next nightly-etl -n 10', 'flow next "0 9 * * 1-5" --tz Europe/Paris'], env: [PIPELINES] },
  history: { examples: ['flow history', 'flow history nightly-etl --status failed --since 7d', 'flow history --trigger api --json'], env: [HOME, COLOR] },
  show: { examples: ['flow show nightly-etl', 'flow show 20261122T0230', 'flow show 20261122T0230 --json'], env: [HOME, PIPELINES, COLOR] },
  logs: { examples: ['flow logs nightly-etl --follow', 'flow logs load --tail 50', 'flow logs 20261122T0230'], env: [HOME, COLOR] },
  graph: { examples: ['flow graph nightly-etl', 'flow graph nightly-etl --format dot | dot -Tsvg > etl.svg', 'flow graph nightly-etl --run'], env: [HOME, PIPELINES] },
  prune: { examples: ['flow prune --dry-run', 'flow prune --keep-runs 100 --keep-days 30'], env: [HOME, CONFIG] },
  test: { examples: ['flow hooks test nightly-etl', 'flow hooks test nightly-etl --event on_retry --task load'], env: [PIPELINES, CONFIG] },
  daemon: { examples: ['flow daemon --max-tasks 8 --grace 1m', 'flow daemon --ui --listen 127.0.0.1:8484', 'flow daemon --print-systemd-unit --user > ~/.config/systemd/user/flow.service'], env: [HOME, PIPELINES, CONFIG] },
  ui: { examples: ['flow ui', 'flow ui --listen 127.0.0.1:9000 --read-only', 'flow ui --listen 0.0.0.0:8484 --host-name flow.example.com'], env: [HOME, PIPELINES, CONFIG] },
  status: { examples: ['flow status', 'flow status --json'], env: [HOME, CONFIG, REDIS] },
  worker: { examples: ['flow worker', 'flow worker --pool gpu --pool default --concurrency 4', 'flow worker --pool gpu --print-systemd-unit'], env: [REDIS, CONFIG, HOME] },
  'import-crontab': { examples: ['flow import-crontab --dry-run', 'flow import-crontab --replace', 'sudo flow import-crontab --system'], env: [PIPELINES] },
  list: { examples: ['flow list', 'flow list --json'], env: [HOME, PIPELINES, COLOR] },
  init: { examples: ['flow init', 'flow init ./pipelines'], env: [PIPELINES] },
  completion: { examples: ['flow completion bash > /etc/bash_completion.d/flow', 'flow completion zsh > "${fpath[1]}/_flow"', 'flow completion fish > ~/.config/fish/completions/flow.fish'], env: [HOME, PIPELINES] },
};

/** Adds examples and environment variables to the end of each command's help (and its subcommands'). */
export function addExamples(command: Command): void {
  for (const sub of command.commands) {
    const help = HELP[sub.name()];
    if (help !== undefined) {
      const text = ['', 'Examples:', ...help.examples.map((line) => `  $ ${line}`), '', 'Environment:', ...help.env.map((line) => `  ${line}`)].join('\n');
      sub.addHelpText('after', text);
    }
    addExamples(sub);
  }
}

/** Commands that have examples, for the test that keeps every command covered. */
export const COMMANDS_WITH_EXAMPLES = Object.keys(HELP);
