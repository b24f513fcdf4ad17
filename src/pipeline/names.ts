/**
 * The one rule for names that become file and directory names under FLOW_HOME: task ids and pipeline names, wherever
 * a name comes from (the `name:` key, the file name, `flow run --name`, a crontab import). Letters, digits, `.`,
 * `_` and `-`, starting with a letter or digit: never empty, never `.` or `..`, nothing a shell would read.
 */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
export const NAME_RULE = 'must use letters, digits, ".", "_" and "-", starting with a letter or digit';

const ID = new RegExp(ID_PATTERN);

export function isValidName(name: string): boolean {
  return ID.test(name);
}
