/**
 * The `%` of a crontab command, as cronie's child_process (src/do_command.c) treats it when the job runs:
 *
 * - The first `%` not preceded by a backslash ends the command; what follows is written to the command's standard
 *   input. In the command, `\%` becomes `%`; any other backslash stays, with the character after it (so `\\%`
 *   is a kept `\\` followed by the `%` that ends the command).
 * - In the input, each further `%` becomes a newline and `\%` a `%`; other backslashes stay. A backslash is never
 *   written before the character that follows it is known, so `\\%` in the input gives `\%`, unlike in the command.
 * - When the last character written is not a newline, cron adds one. A backslash left over at the very end is
 *   written after that test: the input `a%\` is "a", a newline and a backslash, with no newline after it.
 *   `cmd%` gives an empty input.
 */

export interface SplitCommand {
  command: string;
  /** null when the line has no unescaped `%`. */
  stdin: string | null;
}

export function splitPercent(raw: string): SplitCommand {
  let command = '';
  let escaped = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (escaped) {
      // `\%` loses its backslash; `\x` keeps both characters.
      command = ch === '%' ? `${command.slice(0, -1)}%` : command + ch;
      escaped = false;
    } else if (ch === '%') {
      return { command, stdin: input(raw.slice(i + 1)) };
    } else {
      command += ch;
      escaped = ch === '\\';
    }
  }
  return { command, stdin: null };
}

function input(data: string): string {
  let out = '';
  let escaped = false;
  // Set by each character written, and not by a backslash left over at the end (cron writes that one after).
  let needNewline = false;
  for (const original of data) {
    let ch = original;
    if (escaped) {
      if (ch !== '%') out += '\\';
    } else if (ch === '%') {
      ch = '\n';
    }
    escaped = ch === '\\';
    if (!escaped) {
      out += ch;
      needNewline = ch !== '\n';
    }
  }
  if (escaped) out += '\\';
  return needNewline ? `${out}\n` : out;
}
