/**
 * Exit codes 127 and 126 are what a shell returns when it cannot find or cannot execute a command (POSIX, "Command
 * Search and Execution"), but any program may exit with them too. Only the shell's own complaint in the last lines
 * of the log tells the two apart: `sh: 1: foo: not found` (dash), `bash: line 1: foo: command not found`,
 * `zsh:1: command not found: foo`, `sh: ./x: No such file or directory`, `sh: 1: ./x: Permission denied`.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** How much of the end of a log is read: the complaint is the shell's last words. */
const TAIL_BYTES = 2048;
/** A complaint further up than this many lines is not why the attempt ended. */
const TAIL_LINES = 5;

/** `<shell>: [line ]N: <word>: ` or `<shell>: <word>: ` before the complaint, or zsh's `zsh:N: ` after. */
const NOT_FOUND = [/^[^\s:]+:(?: line)? ?\d*:? ?.*: (?:command )?not found$/, /^[^\s:]+:\d+: command not found: /, /^[^\s:]+:(?: line)? ?\d*:? ?.*: No such file or directory$/];
const NOT_EXECUTABLE = [/^[^\s:]+:(?: line)? ?\d*:? ?.*: (?:Permission denied|Is a directory|cannot execute.*)$/, /^[^\s:]+:\d+: (?:permission denied|is a directory): /];

export type ShellComplaint = 'not-found' | 'not-executable';

/** What the shell said about the command in the last lines of `text`, if anything. */
export function shellComplaint(text: string, exitCode: number): ShellComplaint | undefined {
  const patterns = exitCode === 127 ? NOT_FOUND : exitCode === 126 ? NOT_EXECUTABLE : [];
  if (patterns.length === 0) return undefined;
  const lines = text.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '').slice(-TAIL_LINES);
  const found = lines.some((line) => patterns.some((pattern) => pattern.test(line)));
  if (!found) return undefined;
  return exitCode === 127 ? 'not-found' : 'not-executable';
}

/** The end of a log file (never through a symbolic link); empty when it cannot be read. */
export function readTail(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, size - length);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}
