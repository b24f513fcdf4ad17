/**
 * The one rule for names that become file and directory names under FLOW_HOME: task ids and pipeline names, wherever
 * a name comes from (the `name:` key, the file name, `flow run --name`, a crontab import). Letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit: never empty, never `.` or `..`, nothing a shell would read.
 */
import { LIMITS } from './limits.js';

export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
export const NAME_RULE = 'must use letters, digits, ".", "_" and "-", starting with a letter or digit';

const ID = new RegExp(ID_PATTERN);

export function isValidName(name: string): boolean {
  return nameProblem(name) === undefined;
}

/**
 * Why `name` cannot be used, or undefined when it can. The length first (a huge name is not worth matching): a
 * name becomes a directory or file name, which Linux file systems cap at 255 bytes (NAME_MAX), and room is left
 * for what flow adds around it (`<task>.<attempt>.log`, `<n>-on_failure-<task>.err`).
 */
export function nameProblem(name: string): string | undefined {
  const bytes = Buffer.byteLength(name);
  if (bytes > LIMITS.nameBytes) return `is ${bytes} bytes long; at most ${LIMITS.nameBytes}, as it names files and directories`;
  return ID.test(name) ? undefined : NAME_RULE;
}
