/** Terminal output: a chalk instance per stream that honours NO_COLOR and FORCE_COLOR, and a few shared helpers. */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  if (env.NO_COLOR) return new Chalk({ level: 0 });
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return new Chalk({ level: 1 });
  return new Chalk({ level: stream.isTTY && env.TERM !== 'dumb' ? 1 : 0 });
}

export function defaultIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  return path.startsWith(`${cwd}/`) ? path.slice(cwd.length + 1) : path;
}

export function writeLine(stream: NodeJS.WriteStream, text = ''): void {
  stream.write(`${text}\n`);
}
