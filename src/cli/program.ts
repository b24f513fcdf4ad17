/**
 * The command line, declared in one place so help text and options cannot drift. Each action lazy-imports its
 * command module (most runs use one command) and returns the exit code; src/main.ts decides how the process exits.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultIo } from './ui.js';
import { addExamples } from './help-examples.js';
import { FlowError } from '../errors.js';

export type ExitCode = number;
type Action = () => Promise<ExitCode>;

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`expected a whole number of 1 or more, got "${value}"`);
  return parsed;
}

function nonNegativeInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`expected a whole number of 0 or more, got "${value}"`);
  return parsed;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((item) => item.trim()).filter(Boolean)];
}

const dirOption = () => new Option('--dir <dir>', 'pipelines directory (default: $FLOW_PIPELINES, else ~/.config/flow/pipelines)');
const jsonOption = () => new Option('--json', 'print data as JSON');
// The web UI's listener, the same for `flow daemon --ui` and `flow ui`; `when` says under which flag they apply.
const listenOption = (when: string) => new Option('--listen <address>', `${when}where the web UI listens (default 127.0.0.1:8484; config file: ui.listen)`);
const hostNameOption = (when: string) =>
  new Option('--host-name <name>', `${when}a name the web UI is reached by, besides its address (a proxy's); repeatable`).argParser(collect).default([]);
const readOnlyOption = (when: string) => new Option('--read-only', `${when}the web UI shows no action and refuses every change (config file: ui.read_only)`);

export function buildProgram(version: string, done: (action: Action) => void, argv: readonly string[] = []): Command {
  const io = defaultIo();
  const program = new Command('flow')
    .description('Pipelines of tasks on cron schedules: retries, timeouts, history, logs and alerts.')
    .version(version, '-V, --version')
    .showHelpAfterError('(run `flow --help` for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride();

  program
    .command('run')
    .description('run a pipeline now; or, with -- COMMAND [ARGS...], run one command as a recorded one-task pipeline')
    .argument('[pipeline]', 'pipeline name (in the pipelines directory) or file path')
    .argument('[command...]', 'after --: a command and its arguments, passed as given (no shell)')
    .addOption(dirOption())
    .option('-c, --concurrency <n>', 'tasks at once (overrides the pipeline; 1 runs them one by one)', positiveInt)
    .option('--only <tasks>', 'run just these tasks (comma-separated); their other upstream tasks count as done', list)
    .option('--from <task>', 'run this task and everything downstream of it')
    .option('--date <date>', "the run's logical date: a day (its midnight in the pipeline's time zone) or an ISO instant")
    .option('--param <name=value>', "a value for one of the pipeline's params, reaching tasks as FLOW_PARAM_<NAME> (repeat for more)", collect)
    .option('--dry-run', 'print the plan without running anything')
    .option('-v, --verbose', "stream each task's output, prefixed with its id")
    .option('--name <name>', 'with -- COMMAND: the name of its pipeline and task in history (default: the command\'s)')
    .option('--retries <n>', 'with -- COMMAND: further attempts after a failed one', nonNegativeInt)
    .option('--retry-delay <duration>', 'with -- COMMAND: wait before a retry (default 1s)')
    .option('--timeout <duration>', 'with -- COMMAND: time for one attempt; a timeout exits 124, like timeout(1)')
    .addOption(jsonOption())
    .action((ref: string | undefined, rest: string[], flags: { name?: string }) => {
      // `flow run -- COMMAND ARGS…`: everything after `--` is the command, never read as options or a pipeline.
      const dashed = argv.includes('--');
      if (dashed || flags.name !== undefined) {
        const argv = [...(ref === undefined ? [] : [ref]), ...rest];
        return done(async () => (await import('./commands/run-command.js')).runWrappedCommand(argv, flags, io));
      }
      if (ref === undefined) throw new FlowError('E_USAGE', 'missing the pipeline: flow run <pipeline>, or flow run --name NAME -- COMMAND');
      if (rest.length > 0) throw new FlowError('E_USAGE', `unexpected "${rest.join(' ')}" after the pipeline; to run a command, write flow run --name NAME -- COMMAND`);
      return done(async () => (await import('./commands/run.js')).runCommand(ref, flags as never, io));
    });

  program
    .command('trigger')
    .description('ask the running daemon to start a run of a pipeline now (trigger "api") and print its id')
    .argument('<pipeline>', 'pipeline name, as the daemon loaded it')
    .option('--date <date>', "the run's logical date: a day (its midnight in the pipeline's time zone) or an ISO instant")
    .option('--param <name=value>', 'a value for one of the pipeline\'s params (repeat for more)', collect)
    .option('-w, --wait', "wait for the run to end and exit with its code (0 success, 1 failed, 130 cancelled)")
    .option('-f, --follow', "stream the run's task output, each line prefixed with its task id, until it ends (implies --wait)")
    .addOption(jsonOption())
    .action((name: string, flags) => done(async () => (await import('./commands/trigger.js')).triggerCommand(name, flags as never, io)));

  program
    .command('stop')
    .description('end a running run (or every running run of a pipeline) as a timeout does; it is recorded cancelled')
    .argument('<run-id|pipeline>', 'a run id (a unique prefix will do) or a pipeline name')
    .option('--no-wait', 'return once the run was told to stop, without waiting for it to end')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/stop.js')).stopCommand(ref, flags as never, io)));

  program
    .command('pause')
    .description("pause a pipeline's schedule: its instants are recorded as skipped (paused) until it is unpaused")
    .argument('<pipeline>', 'pipeline name')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/pause.js')).pauseCommand(ref, true, flags as never, io)));

  program
    .command('unpause')
    .description('resume a paused pipeline; instants missed while paused run only as its catchup says')
    .argument('<pipeline>', 'pipeline name')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/pause.js')).pauseCommand(ref, false, flags as never, io)));

  program
    .command('backfill')
    .description("run a pipeline once for each instant of its schedule between two dates, each with that logical date")
    .argument('<pipeline>', 'pipeline name (in the pipelines directory) or file path')
    .requiredOption('--from <date>', "first date: a day (from its start, in the pipeline's time zone) or an ISO instant")
    .requiredOption('--to <date>', 'last date, included: a day (through its end) or an ISO instant')
    .option('--rerun <which>', 'missing (default: dates without a successful run), failed, or all')
    .option('-p, --parallel <n>', 'dates at once (default 1); each run keeps the pipeline\'s concurrency', positiveInt)
    .option('--reverse', 'newest date first')
    .option('--param <name=value>', "a value for one of the pipeline's params, the same for every date (repeat for more)", collect)
    .option('--dry-run', 'list the dates and what would be done with each, running nothing')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/backfill.js')).backfillCommand(ref, flags as never, io)));

  program
    .command('retry')
    .description("run an ended run's failed tasks again, inside that run, as new attempts")
    .argument('<run-id>')
    .option('-t, --task <task>', 'run this task again instead (whatever its status)')
    .option('--downstream', 'also run again every task downstream, successful ones included')
    .addOption(jsonOption())
    .action((runId: string, flags) => done(async () => (await import('./commands/retry.js')).retryCommand(runId, flags as never, io)));

  program
    .command('validate')
    .description('check pipeline files and report every problem as file:line:col')
    .argument('[paths...]', 'files or directories (default: the pipelines directory)')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((paths: string[], flags) =>
      done(async () => (await import('./commands/validate.js')).validateCommand(paths, flags as never, io)),
    );

  program
    .command('next')
    .description("show the next fire times of a cron expression or a pipeline's schedule")
    .argument('<expression|pipeline>', 'a cron expression in quotes ("30 2 * * *", @daily), or a pipeline name or file')
    .option('-n, --count <n>', 'how many fire times (default 5)', positiveInt)
    .option('--tz <zone>', "IANA time zone (default: the pipeline's timezone, else the system's)")
    .option('--after <iso>', 'start after this instant instead of now; without an offset, a wall-clock time in the zone')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/next.js')).nextCommand(ref, flags as never, io)));

  program
    .command('history')
    .description('list runs, newest first; with a run id, show that run')
    .argument('[pipeline|run-id]', 'only this pipeline, or one run in detail')
    .option('-n, --limit <n>', 'how many runs (default 20)', positiveInt)
    .option('--status <status>', 'only runs with this status (running, success, failed, cancelled, interrupted, skipped)')
    .option('--trigger <trigger>', 'only runs with this trigger (manual, schedule, catchup, backfill, command, api)')
    .option('--since <when>', 'only runs started since: a date (2026-03-29), an ISO instant, or a duration ago (7d)')
    .addOption(jsonOption())
    .action((ref: string | undefined, flags) => done(async () => (await import('./commands/history.js')).historyCommand(ref, flags as never, io)));

  program
    .command('show')
    .description("show one run: its tasks, attempts, exit codes and a Gantt bar per task; given a pipeline, its latest run")
    .argument('<run-id|pipeline>', 'a run id (a unique prefix will do) or a pipeline name')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((runId: string, flags) => done(async () => (await import('./commands/history.js')).showCommand(runId, flags as never, io)));

  program
    .command('logs')
    .description("print a run's output, each line prefixed with its task id, or one task's output")
    .argument('<pipeline|run-id|task>', "a pipeline (its latest run; with -f its live run), a run id (a unique prefix will do), or a task id (its latest attempt in the latest run that has it)")
    .option('-p, --pipeline <pipeline>', 'the pipeline, when several have a task of this name')
    .option('-r, --run <run-id>', 'a given run instead of the latest')
    .option('-a, --attempt <n>', 'a given attempt instead of the latest', positiveInt)
    .option('-t, --tail <n>', 'only the last N lines', positiveInt)
    .option('-f, --follow', 'keep printing while the run (or the task) runs, like journalctl -f; return when it ends')
    .addOption(jsonOption())
    .action((task: string, flags) => done(async () => (await import('./commands/logs.js')).logsCommand(task, flags as never, io)));

  program
    .command('prune')
    .description('remove runs and their logs beyond retention now (the store also prunes as it writes)')
    .option('--dry-run', 'list what would be removed')
    .option('--keep-runs <n>', 'runs to keep per pipeline (default 1000)', positiveInt)
    .option('--keep-days <n>', 'days to keep runs (default 90)', positiveInt)
    .addOption(jsonOption())
    .action((flags) => done(async () => (await import('./commands/prune.js')).pruneCommand(flags as never, io)));

  const hooks = program.command('hooks').description('check failure notifications');
  hooks
    .command('test')
    .description('fire a pipeline\'s hooks now with a made-up context (a run that failed with exit code 1)')
    .argument('<pipeline>', 'pipeline name or file')
    .option('-e, --event <event>', 'on_failure, on_retry, on_success, on_start or on_sla_miss (default on_failure)')
    .option('-t, --task <task>', "fire this task's hooks instead of the pipeline's and the config file's")
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/hooks.js')).hooksTestCommand(ref, flags as never, io)));

  program
    .command('daemon')
    .description('run pipelines on their schedules, in the foreground (systemd runs it)')
    .addOption(dirOption())
    .option('--max-tasks <n>', 'tasks at once across all pipelines (default: no limit, as cron)', positiveInt)
    .option('--grace <duration>', 'on SIGTERM, time running tasks get to finish before they are ended (default 30s)')
    .option('--print-systemd-unit', 'print a systemd unit that runs this daemon, and exit')
    .option('--user', 'with --print-systemd-unit: a unit for `systemctl --user`')
    .option('--ui', 'also serve the web UI and the API on TCP (config file: ui.enabled)')
    .addOption(listenOption('with --ui: '))
    .addOption(hostNameOption('with --ui: '))
    .addOption(readOnlyOption('with --ui: '))
    .action((flags) => done(async () => (await import('./commands/daemon.js')).daemonCommand(flags as never, io)));

  program
    .command('ui')
    .description('serve the web UI without a scheduler: reads history, acts through the daemon when one runs')
    .addOption(dirOption())
    .addOption(listenOption(''))
    .addOption(hostNameOption(''))
    .addOption(readOnlyOption(''))
    .action((flags) => done(async () => (await import('./commands/ui.js')).uiCommand(flags as never, io)));

  program
    .command('worker')
    .description('cluster mode: run tasks of the given pools that schedulers put on Redis, in the foreground (systemd runs it)')
    .option('-p, --pool <name>', 'a pool whose tasks this worker runs (repeat for more; default: default)', collect)
    .option('-c, --concurrency <n>', 'tasks at once from each pool (default: number of CPUs)', positiveInt)
    .option('--print-systemd-unit', 'print a systemd unit that runs this worker, and exit')
    .option('--user', 'with --print-systemd-unit: a unit for `systemctl --user`')
    .action((flags) => done(async () => (await import('./commands/worker.js')).workerCommand(flags as never, io)));

  program
    .command('status')
    .description('whether a daemon runs for FLOW_HOME: pid, uptime, pipelines loaded, runs in flight')
    .addOption(jsonOption())
    .action((flags) => done(async () => (await import('./commands/status.js')).statusCommand(flags as never, io)));

  program
    .command('import-crontab')
    .description('turn crontab jobs into pipelines that run as cron ran them')
    .argument('[files...]', 'user crontab files, - for standard input (default: your crontab, from crontab -l)')
    .option('--system', 'read system crontabs (a user field on each line): /etc/crontab and /etc/cron.d, or the FILEs')
    .option('--out <dir>', 'write the pipelines here (default: the pipelines directory)')
    .option('--dry-run', 'show the files it would write and the lines it would comment out; write nothing')
    .option('--replace', 'comment the imported lines out of your crontab (crontab -l, crontab -), keeping a backup')
    .option('--undo', 'restore the crontab the latest --replace backed up, and remove the pipelines it wrote')
    .option('--mail-on-failure', 'MAILTO: mail only when a job failed and printed something (default: whenever it printed, as cron)')
    .addOption(new Option('--json', 'print what was read as JSON; write nothing'))
    .action((files: string[], flags) =>
      done(async () => (await import('./commands/import-crontab.js')).importCrontabCommand(files, flags as never, io)),
    );

  program
    .command('list')
    .description('list the pipelines of the pipelines directory')
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((flags) => done(async () => (await import('./commands/list.js')).listCommand(flags as never, io)));

  program
    .command('init')
    .description('create a pipelines directory with two example pipelines')
    .argument('[dir]', 'where (default: the pipelines directory)')
    .addOption(jsonOption())
    .action((dir: string | undefined, flags) =>
      done(async () => (await import('./commands/init.js')).initCommand(dir, flags as never, io)),
    );

  program
    .command('graph')
    .description("print a pipeline's DAG as a Mermaid flowchart or Graphviz DOT; with --run, coloured by a run's task states")
    .argument('<pipeline>', 'pipeline name or file')
    .option('--format <format>', 'mermaid (default) or dot')
    .option('--run [run-id]', "colour tasks by this run's states (without an id: the pipeline's latest run)")
    .addOption(dirOption())
    .addOption(jsonOption())
    .action((ref: string, flags) => done(async () => (await import('./commands/graph.js')).graphCommand(ref, flags as never, io)));

  program
    .command('completion')
    .description('print a completion script (commands, options, pipeline and task names, recent run ids)')
    .argument('<shell>', 'bash, zsh or fish')
    .action((shell: string) =>
      done(async () => {
        const { SHELLS, completionScript } = await import('./completion.js');
        if (!(SHELLS as readonly string[]).includes(shell)) throw new FlowError('E_USAGE', `completion: expected bash, zsh or fish, got "${shell}"`);
        io.stdout.write(completionScript(shell as never, program));
        return 0;
      }),
    );

  program
    .command('__complete', { hidden: true })
    .argument('<kind>')
    .argument('[pipeline]')
    .action((kind: string, pipeline: string | undefined) => done(async () => (await import('./commands/complete.js')).completeCommand(kind, pipeline, io)));

  addExamples(program);
  return program;
}
