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

/**
 * Lines written together: held for a moment and written in one call. A run of a thousand tasks prints two thousand
 * progress lines; one system call each is time the event loop does not spend starting tasks.
 */
export class LineBuffer {
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly delayMs = 50,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lines.length === 0) return;
    this.stream.write(`${this.lines.join('\n')}\n`);
    this.lines = [];
  }
}
