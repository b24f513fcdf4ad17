/**
 * Secrets: values of environment variables that a pipeline or the config file names in `secrets:`, and of those whose
 * names end in _TOKEN, _PASSWORD, _SECRET or _KEY, are replaced by `***` wherever flow writes what a task or hook
 * printed, and in run records. Values reach commands only through the environment, never their command text, so
 * they never show in `ps`.
 */
import type { Pipeline } from '../pipeline/types.js';

export const MASK = '***';
/** Names that are secret without being listed. */
export const SECRET_NAME = /_(TOKEN|PASSWORD|SECRET|KEY)$/;
/**
 * A value found by name alone is masked from this length on: `DEBUG_KEY=1` must not turn every `1` of a log into
 * `***`. A value listed in `secrets:` is masked whatever its length.
 */
const MIN_IMPLICIT_LENGTH = 4;

/** The secret values of an environment: listed names first, then names that look secret. Longest first. */
export function secretValues(env: Record<string, string | undefined>, listed: readonly string[]): string[] {
  const values = new Set<string>();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (listed.includes(key) || (SECRET_NAME.test(key) && value.length >= MIN_IMPLICIT_LENGTH)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Every secret value a run can meet: in each task's environment and in its hooks' (flow's own, then the pipeline's),
 * for masking its record.
 */
export function runSecrets(pipeline: Pick<Pipeline, 'env' | 'secrets' | 'tasks'>, base: Record<string, string | undefined>): string[] {
  const values = new Set<string>(secretValues({ ...base, ...pipeline.env }, pipeline.secrets));
  // A task's environment is the pipeline's with its own keys on top: only those can add a value (one pass over each).
  for (const task of pipeline.tasks) for (const value of secretValues(task.env, pipeline.secrets)) values.add(value);
  return [...values].sort((a, b) => b.length - a.length);
}

/** Masks whole strings (a record's fields, a line). */
export function maskText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
  return result;
}

/** Every string inside a plain JSON-like value, masked; the value itself is not changed. */
export function maskDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return maskText(item, secrets);
    if (Array.isArray(item)) return item.map(walk);
    if (typeof item === 'object' && item !== null) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, walk(inner)]));
    return item;
  };
  return walk(value) as T;
}

/**
 * Masks a stream of bytes as it is written. A secret may arrive split across two writes (`printf abc; sleep 1;
 * printf def`): the end of a chunk that could still begin a secret is held back until the next chunk (or the end)
 * says whether it does. Only such a tail is held; everything else is passed on at once.
 */
export class StreamMasker {
  private readonly secrets: Buffer[];
  private readonly mask = Buffer.from(MASK);
  private held: Buffer = Buffer.alloc(0);

  constructor(secrets: readonly string[]) {
    this.secrets = secrets.map((secret) => Buffer.from(secret)).filter((secret) => secret.length > 0);
  }

  /** The bytes that may be written now. */
  push(chunk: Buffer): Buffer {
    const data = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    const parts: Buffer[] = [];
    let from = 0;
    for (;;) {
      const found = this.next(data, from);
      if (found === undefined) break;
      parts.push(data.subarray(from, found.at), this.mask);
      from = found.at + found.length;
    }
    const hold = this.partialTail(data, from);
    parts.push(data.subarray(from, data.length - hold));
    this.held = Buffer.from(data.subarray(data.length - hold));
    return Buffer.concat(parts);
  }

  /** What is still held back, at the end of the stream: it never became a secret. */
  end(): Buffer {
    const rest = this.held;
    this.held = Buffer.alloc(0);
    return rest;
  }

  /** The earliest secret at or after `from` (the longest, where two start at the same byte). */
  private next(data: Buffer, from: number): { at: number; length: number } | undefined {
    let best: { at: number; length: number } | undefined;
    for (const secret of this.secrets) {
      const at = data.indexOf(secret, from);
      if (at >= 0 && (best === undefined || at < best.at || (at === best.at && secret.length > best.length))) best = { at, length: secret.length };
    }
    return best;
  }

  /** The length of the longest tail of `data` (after `from`) that is the start of some secret. */
  private partialTail(data: Buffer, from: number): number {
    let longest = 0;
    for (const secret of this.secrets) {
      const max = Math.min(secret.length - 1, data.length - from);
      for (let length = max; length > longest; length--) {
        if (data.compare(secret, 0, length, data.length - length, data.length) === 0) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
