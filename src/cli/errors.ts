/**
 * Errors turned into what a person reads: one line naming what and where, a hint when there is one, and the exit
 * code. A stack trace only for what is a bug in flow itself.
 */
import { CommanderError } from 'commander';
import { FlowError, ValidationError, formatProblem } from '../errors.js';
import { errnoWords } from '../util/errno.js';
import { colorsFor, displayPath, writeLine } from './ui.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function reportError(error: unknown, stderr: NodeJS.WriteStream = process.stderr): number {
  const color = colorsFor(stderr);
  if (error instanceof CommanderError) {
    // commander has already printed its message; help and version are not errors.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help'
      ? EXIT.ok
      : EXIT.usage;
  }
  if (error instanceof ValidationError) {
    for (const problem of error.problems) writeLine(stderr, formatProblem({ ...problem, file: displayPath(problem.file) }));
    const count = error.problems.length;
    writeLine(stderr, color.red(`flow: ${count} problem${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} and try again (\`flow validate\` checks without running)`));
    return EXIT.usage;
  }
  if (error instanceof FlowError) {
    writeLine(stderr, `${color.red('flow:')} ${error.message}`);
    if (error.hint !== undefined) writeLine(stderr, color.dim(`  ${error.hint}`));
    return EXIT.usage;
  }
  const system = systemError(error);
  if (system !== undefined) {
    // The machine refused (a full disk, a read-only file system): not a bug in flow, and one line says it all.
    writeLine(stderr, `${color.red('flow:')} ${system}`);
    return EXIT.usage;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeLine(stderr, `${color.red('flow: internal error:')} ${text}`);
  writeLine(stderr, 'This is a bug in flow. Please report it with the command you ran and the output above.');
  return 70;
}

/** `no space left on device (write /var/lib/flow/history.json)` for an error the system gave, else undefined. */
function systemError(error: unknown): string | undefined {
  const { code, syscall, path } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || typeof syscall !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  const message = (error as Error).message;
  const words = code === 'ENOENT' ? 'no such file or directory' : errnoWords(error);
  return `${words === message ? (message.split(',')[0] ?? code) : words} (${syscall}${path === undefined ? '' : ` ${displayPath(path)}`})`;
}
