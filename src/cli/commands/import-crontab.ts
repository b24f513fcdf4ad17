/**
 * `flow import-crontab [FILE|-] [--system] [--out DIR] [--dry-run] [--json] [--replace] [--undo]`: one pipeline per
 * crontab job, running as cron ran it (docs/crontab.md). stdout lists what was written; refused lines and files in
 * the way go to stderr and make the exit code 1.
 */
import { basename } from 'node:path';
import { userInfo } from 'node:os';
import { FlowError } from '../../errors.js';
import {
  findMailer,
  prepareImport,
  readCrontabs,
  replaceUserCrontab,
  undoReplace,
  writePipelines,
  type Account,
  type CrontabProblem,
  type ImportPlan,
  type Mailer,
  type ParsedCrontab,
  type PlannedPipeline,
  type SystemLocations,
} from '../../crontab/index.js';
import { daemonPresence, unitDirs } from '../../daemon/presence.js';
import { flowHome, pipelinesDir } from '../../util/paths.js';
import { table } from '../render/table.js';
import { colorsFor, displayPath, writeLine, type Io } from '../ui.js';

export interface ImportCrontabFlags {
  system?: boolean;
  out?: string;
  dryRun?: boolean;
  json?: boolean;
  replace?: boolean;
  undo?: boolean;
  mailOnFailure?: boolean;
}

/** What the command would otherwise take from the machine it runs on; tests give their own. */
export interface ImportCrontabWorld {
  now?: () => Date;
  owner?: Account;
  lookup?: (name: string) => Promise<Account | undefined>;
  /** null: no mailer on this system. */
  mailer?: Mailer | null;
  readStdin?: () => Promise<string>;
  locations?: SystemLocations;
  checkOwner?: boolean;
  /** Where to look for a systemd unit that runs `flow daemon`. */
  unitDirs?: string[];
}

export async function importCrontabCommand(files: string[], flags: ImportCrontabFlags, io: Io, world: ImportCrontabWorld = {}): Promise<number> {
  checkFlags(files, flags);
  const now = world.now ?? (() => new Date());
  const home = flowHome(io.env);
  if (flags.undo) {
    const undone = await undoReplace({ home, env: io.env, now: now() });
    if (flags.json) writeLine(io.stdout, JSON.stringify({ restored: undone.backup.crontabFile, removed: undone.removed }, null, 2));
    else {
      writeLine(io.stdout, `restored your crontab from ${displayPath(undone.backup.crontabFile)}`);
      for (const file of undone.removed) writeLine(io.stdout, `removed ${displayPath(file)}`);
    }
    return 0;
  }

  const owner = world.owner ?? currentAccount();
  const read = await readCrontabs({
    files,
    system: flags.system === true,
    env: io.env,
    readStdin: world.readStdin ?? readProcessStdin,
    privileged: owner.uid === 0,
    ...(world.locations === undefined ? {} : { locations: world.locations }),
    ...(world.checkOwner === undefined ? {} : { checkOwner: world.checkOwner }),
  });
  if (flags.json) {
    writeLine(io.stdout, JSON.stringify(jsonOf(read.crontabs, read.skipped), null, 2));
    return read.skipped.length > 0 || read.crontabs.some((crontab) => crontab.errors.length > 0) ? 1 : 0;
  }

  const mailer = world.mailer === null ? undefined : (world.mailer ?? findMailer(io.env.PATH));
  const dir = pipelinesDir(flags.out, io.env);
  const plan = await prepareImport(read.crontabs, { dir, owner, env: io.env, mailer, mailOnFailure: flags.mailOnFailure === true, ...(world.lookup === undefined ? {} : { lookup: world.lookup }) });
  plan.errors.unshift(...read.skipped);
  const color = colorsFor(io.stderr, io.env);
  const problems = (): void => {
    for (const problem of plan.warnings) writeLine(io.stderr, color.yellow(`flow: warning: ${where(problem)}: ${problem.message}`));
    for (const problem of plan.errors) writeLine(io.stderr, `${color.red('flow:')} ${where(problem)}: ${problem.message}`);
  };

  if (flags.dryRun) {
    listPipelines(io, plan.pipelines.filter((pipeline) => pipeline.state === 'new'), `would write {n} to ${displayPath(dir)}:`);
    listPipelines(io, plan.pipelines.filter((pipeline) => pipeline.state === 'identical'), 'already there with the same text ({n}):');
    if (flags.replace) {
      const lines = plan.pipelines.filter((pipeline) => pipeline.state !== 'conflict').map((pipeline) => pipeline.job.line);
      if (lines.length > 0) writeLine(io.stdout, `would comment out line${lines.length === 1 ? '' : 's'} ${lines.join(', ')} of your crontab`);
    }
    problems();
    reportConflicts(io, plan.pipelines.filter((pipeline) => pipeline.state === 'conflict'));
    return exitCode(plan, plan.pipelines.some((pipeline) => pipeline.state === 'conflict'));
  }

  const replaced = flags.replace ? await replaceUserCrontab(read.userCrontab ?? Buffer.alloc(0), plan, { home, env: io.env, now: now() }) : undefined;
  const result = replaced ?? (await writePipelines(plan));
  listPipelines(io, result.written, `wrote {n} to ${displayPath(dir)}:`);
  listPipelines(io, result.identical, 'already there with the same text ({n}):');
  if (replaced?.backup !== undefined) {
    writeLine(io.stdout, `commented out line${replaced.moved.length === 1 ? '' : 's'} ${replaced.moved.join(', ')} of your crontab; the old one is in ${displayPath(replaced.backup.crontabFile)}`);
    writeLine(io.stdout, 'to put it back and remove these pipelines: flow import-crontab --undo');
    const presence = daemonPresence(home, world.unitDirs ?? unitDirs(io.env));
    if (replaced.moved.length > 0 && presence.pid === null && presence.unit === null) {
      writeLine(io.stderr, color.yellow(`flow: warning: no flow daemon runs for FLOW_HOME ${displayPath(home)} and none is installed as a service: the commented-out jobs will not run until \`flow daemon\` runs`));
      writeLine(io.stderr, `  install it: ${owner.uid === 0 ? 'flow daemon --print-systemd-unit > /etc/systemd/system/flow.service && systemctl daemon-reload && systemctl enable --now flow' : 'mkdir -p ~/.config/systemd/user && flow daemon --print-systemd-unit --user > ~/.config/systemd/user/flow.service && systemctl --user daemon-reload && systemctl --user enable --now flow'} (without systemd: see "As a service" in flow's README)`);
    }
  }
  problems();
  reportConflicts(io, result.conflicts);
  const imported = result.written.length + result.identical.length;
  if (!flags.replace && imported > 0) {
    const where = flags.system ? 'the system crontabs' : 'your crontab';
    writeLine(io.stderr, color.dim(`flow: cron still runs these lines: remove them from ${where}${flags.system ? '' : ' (or import with --replace)'} before \`flow daemon\` runs them, so that no job runs twice`));
  }
  return exitCode(plan, result.conflicts.length > 0);
}

function checkFlags(files: string[], flags: ImportCrontabFlags): void {
  const usage = (message: string, hint?: string): FlowError => new FlowError('E_USAGE', message, hint === undefined ? {} : { hint });
  if (flags.undo && (files.length > 0 || flags.system || flags.replace || flags.dryRun || flags.out !== undefined)) {
    throw usage('--undo takes no FILE and no other option but --json', 'it restores the crontab the latest --replace backed up');
  }
  if (flags.replace && (files.length > 0 || flags.system)) {
    throw usage('--replace edits your own crontab through crontab(1): give no FILE and no --system', 'for system crontabs, comment the lines out yourself after the import');
  }
  if (flags.json && flags.replace) throw usage('--json prints what was read and writes nothing; it cannot go with --replace');
  if (files.filter((file) => file === '-').length > 1) throw usage('standard input (-) can be read once');
}

function exitCode(plan: ImportPlan, conflicts: boolean): number {
  return plan.errors.length > 0 || conflicts ? 1 : 0;
}

/** `--json`: what was read, as crontab(5) and cronie define it; `file` only when there were several. */
function jsonOf(crontabs: ParsedCrontab[], skipped: CrontabProblem[]): unknown {
  const several = crontabs.length + skipped.length > 1;
  const file = (name: string): { file?: string } => (several ? { file: name } : {});
  return {
    jobs: crontabs.flatMap((crontab) =>
      crontab.jobs.map((job) => ({
        ...file(job.file),
        line: job.line,
        schedule: job.schedule,
        timezone: job.timezone,
        user: job.user,
        command: job.command,
        stdin: job.stdin,
        env: job.env,
      })),
    ),
    errors: [...skipped, ...crontabs.flatMap((crontab) => crontab.errors)].map((problem) => ({ ...file(problem.file), line: problem.line, message: problem.message })),
  };
}

function listPipelines(io: Io, pipelines: PlannedPipeline[], title: string): void {
  if (pipelines.length === 0) return;
  writeLine(io.stdout, title.replace('{n}', `${pipelines.length} pipeline${pipelines.length === 1 ? '' : 's'}`));
  const rows = pipelines.map(({ file, job }) => [
    basename(file),
    `line ${job.line}`,
    job.timezone === null ? job.schedule : `${job.schedule} (${job.timezone.replace(/^:/, '')})`,
    oneLine(job.user === null ? job.command : `as ${job.user}: ${job.command}`),
  ]);
  table(rows, '  ').forEach((line) => writeLine(io.stdout, line));
}

function reportConflicts(io: Io, conflicts: PlannedPipeline[]): void {
  const color = colorsFor(io.stderr, io.env);
  for (const pipeline of conflicts) {
    writeLine(io.stderr, `${color.red('flow:')} ${where(pipeline.job)}: ${displayPath(pipeline.file)} exists with other content; it was left alone and the line not imported`);
  }
  if (conflicts.length > 0) writeLine(io.stderr, color.dim('  move those files away, or import into another directory with --out DIR'));
}

function where(problem: { file: string; line: number | null }): string {
  return problem.line === null ? problem.file : `${problem.file}:${problem.line}`;
}

function oneLine(command: string): string {
  return command.length > 60 ? `${command.slice(0, 57)}...` : command;
}

function currentAccount(): Account {
  const me = userInfo();
  return { name: me.username, uid: me.uid, home: me.homedir };
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
