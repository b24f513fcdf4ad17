/**
 * Task outputs (Airflow's XCom, GitHub Actions' step outputs): what a task writes to `$FLOW_OUTPUT` or a function
 * task returns, checked, and the environment names downstream tasks see them under. Every problem is one line that
 * names where it is, for the task's result and log.
 */

/** At most this much output per task: bytes of `$FLOW_OUTPUT`, or of the keys and values a function returned. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024;

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEY_RULE = 'letters, digits and "_", not starting with a digit';

export type Parsed = { outputs: Record<string, string> } | { error: string };

/** `FLOW_OUT_<TASK>_<KEY>`: the task id in upper case with each character other than A-Z and 0-9 as `_`, the key as written. */
export function outputEnvName(task: string, key: string): string {
  return `FLOW_OUT_${taskEnvPart(task)}_${key}`;
}

export function taskEnvPart(task: string): string {
  return task.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function tooLarge(bytes: number): string {
  return `outputs hold ${bytes} bytes, over the limit of ${OUTPUT_LIMIT_BYTES / 1024} KiB per task`;
}

/**
 * The text of `$FLOW_OUTPUT`, read as GitHub Actions reads `$GITHUB_OUTPUT`: `KEY=VALUE` lines, and `KEY<<DELIM`
 * followed by the value's lines up to a line that is exactly DELIM. Empty lines are ignored; a later key wins.
 */
export function parseOutputFile(text: string): Parsed {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (let index = 0; index < lines.length; index += 1) {
    const line = (lines[index] ?? '').replace(/\r$/, '');
    const at = `$FLOW_OUTPUT line ${index + 1}`;
    if (line === '') continue;
    const heredoc = /^([^=]*?)<<(.+)$/.exec(line);
    const equals = line.indexOf('=');
    if (heredoc !== null && (equals === -1 || equals > line.indexOf('<<'))) {
      const key = heredoc[1] ?? '';
      const delimiter = heredoc[2] ?? '';
      if (!KEY.test(key)) return { error: `${at}: "${clip(key)}" is not a valid output key (${KEY_RULE})` };
      const end = lines.findIndex((candidate, later) => later > index && candidate.replace(/\r$/, '') === delimiter);
      if (end === -1) return { error: `${at}: the ${key}<<${clip(delimiter)} block never ends: no line "${clip(delimiter)}" follows` };
      outputs[key] = lines.slice(index + 1, end).map((value) => value.replace(/\r$/, '')).join('\n');
      index = end;
      continue;
    }
    if (equals === -1) return { error: `${at}: expected KEY=VALUE or KEY<<DELIMITER, got "${clip(line)}"` };
    const key = line.slice(0, equals);
    if (!KEY.test(key)) return { error: `${at}: "${clip(key)}" is not a valid output key (${KEY_RULE})` };
    outputs[key] = line.slice(equals + 1);
  }
  return { outputs };
}

/**
 * What a function task returned: a plain object gives one output per key (strings as they are, anything else as
 * JSON); a string, number or boolean gives `return_value` (as Airflow's XCom); anything else gives none.
 */
export function outputsOfValue(value: unknown): Parsed {
  if (value === undefined || value === null) return { outputs: {} };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return checked({ return_value: String(value) });
  if (typeof value !== 'object' || Array.isArray(value)) return { outputs: {} };
  const outputs: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!KEY.test(key)) return { error: `returned key "${clip(key)}" is not a valid output key (${KEY_RULE})` };
    if (entry === undefined) continue;
    outputs[key] = typeof entry === 'string' ? entry : (JSON.stringify(entry) ?? String(entry));
  }
  return checked(outputs);
}

function checked(outputs: Record<string, string>): Parsed {
  const bytes = Object.entries(outputs).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
  return bytes > OUTPUT_LIMIT_BYTES ? { error: tooLarge(bytes) } : { outputs };
}

/**
 * The environment a task gets from the outputs of the tasks upstream of it. Two outputs under one name (task `a`
 * key `B_C` and task `a_b` key `C`) is an error, since either value would silently hide the other.
 */
export function outputEnv(upstream: readonly [string, Record<string, string>][]): { env: Record<string, string> } | { error: string } {
  const env: Record<string, string> = {};
  const from = new Map<string, string>();
  for (const [task, outputs] of upstream) {
    for (const [key, value] of Object.entries(outputs)) {
      const name = outputEnvName(task, key);
      const earlier = from.get(name);
      if (earlier !== undefined) return { error: `outputs ${earlier} and "${task}".${key} both map to ${name}; rename one key` };
      from.set(name, `"${task}".${key}`);
      env[name] = value;
    }
  }
  return { env };
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
