/**
 * The CLI's entry, and the only code that decides how the process exits. Commands return exit codes; errors a user
 * can cause become one clear line (src/cli/errors.ts). The npm package (bin/flow.js) and the single executable
 * (src/sea.ts) both enter through `runCli`.
 */
import { buildProgram, type ExitCode } from './cli/program.js';
import { reportError } from './cli/errors.js';

declare const FLOW_VERSION: string;

async function main(argv: string[]): Promise<ExitCode> {
  let action: (() => Promise<ExitCode>) | undefined;
  const program = buildProgram(FLOW_VERSION, (chosen) => (action = chosen), argv);
  try {
    await program.parseAsync(argv);
    if (action === undefined) {
      program.outputHelp();
      return 0;
    }
    return await action();
  } catch (error) {
    return reportError(error);
  }
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.writableNeedDrain ? stream.once('drain', resolve) : resolve()));
}

/** Runs the CLI for `argv` and ends the process with its exit code (bin/flow.js and src/sea.ts call it). */
export async function runCli(argv: string[]): Promise<never> {
  const code = await main(argv);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  // Exit explicitly: a function task that ignored its abort signal must not keep a finished run alive.
  process.exit(code);
}
