/**
 * The wrapped form, `flow run --name NAME -- COMMAND ARGS…`: the command's output passes through (so cron mails what
 * it mailed before) and is kept in the attempt's log; its own exit code is flow's (124 for a timeout, as
 * timeout(1); 127 when it cannot be found; 128+n when killed by signal n).
 */
import { constants } from 'node:os';
import { planRun } from '../../engine/plan.js';
import type { FlowEvent } from '../../engine/events.js';
import { FlowError } from '../../errors.js';
import { commandPipeline } from '../../runs/command-pipeline.js';
import { executeRun } from '../../runs/execute.js';
import { RawFollower } from '../../store/follow.js';
import type { AttemptRecord } from '../../store/record.js';
import { parseDuration } from '../../util/duration.js';
import { hookFailures, openServices } from '../services.js';
import { listenForStop } from '../signals.js';
import { writeLine, type Io } from '../ui.js';

export interface CommandFlags {
  name?: string;
  retries?: number;
  retryDelay?: string;
  timeout?: string;
  json?: boolean;
}

const POLL_MS = 50;

export async function runWrappedCommand(argv: string[], flags: CommandFlags, io: Io): Promise<number> {
  const pipeline = commandPipeline({
    name: flags.name ?? defaultName(argv[0] ?? ''),
    argv,
    retries: flags.retries ?? 0,
    retryDelayMs: durationFlag('--retry-delay', flags.retryDelay) ?? 1000,
    timeoutMs: durationFlag('--timeout', flags.timeout),
    cwd: process.cwd(),
  });
  const services = await openServices(io);
  const output = new Passthrough(io);
  const sinks = [hookFailures(io), ...(flags.json ? [] : [output.sink])];
  const stop = listenForStop();
  try {
    const { record } = await executeRun(services, { pipeline, plan: planRun(pipeline), trigger: 'command', sinks, signal: stop.signal, force: stop.force });
    output.close();
    if (flags.json) writeLine(io.stdout, JSON.stringify(record, null, 2));
    if (record.status === 'cancelled') return stop.exitCode() ?? 130;
    const last = record.tasks[0]?.attempts.at(-1);
    const code = exitCodeOf(last);
    if (code !== 0 && !flags.json) writeLine(io.stderr, `flow: ${pipeline.name} failed: ${last?.error ?? 'it did not run'} (run ${record.id}; see \`flow logs ${pipeline.name}\`)`);
    return code;
  } finally {
    stop.dispose();
  }
}

function exitCodeOf(attempt: AttemptRecord | undefined): number {
  if (attempt === undefined) return 1;
  if (attempt.timed_out) return 124;
  if (attempt.exit_code !== null) return attempt.exit_code;
  if (attempt.signal !== null) return 128 + (constants.signals[attempt.signal as NodeJS.Signals] ?? 0);
  return 127;
}

function durationFlag(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw new FlowError('E_USAGE', `${flag}: "${text}" is not a duration (write 30s, 5m, 1h30m)`);
  return ms;
}

/** `/usr/local/bin/backup.sh` → `backup`. */
function defaultName(command: string): string {
  const base = command.split('/').pop() ?? command;
  return base.replace(/\.[a-z0-9]+$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'command';
}

/** Copies each attempt's log to stdout as it grows, byte for byte. */
class Passthrough {
  private follower: RawFollower | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly io: Io) {
    this.timer = setInterval(() => this.follower?.poll(), POLL_MS);
    this.timer.unref();
  }

  readonly sink = (event: FlowEvent): void => {
    if (event.kind === 'task-started' && event.log !== '') {
      this.follower?.close();
      this.follower = new RawFollower(event.log, (chunk) => this.io.stdout.write(chunk));
    }
    if (event.kind === 'attempt-finished') this.follower?.close();
  };

  close(): void {
    clearInterval(this.timer);
    this.follower?.close();
  }
}
