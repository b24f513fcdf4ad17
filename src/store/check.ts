/**
 * A small structural checker for the JSON files flow reads back from FLOW_HOME. Every command reads some of them
 * (the history index, run records, lock holders), so checking them must not cost the start-up of a schema library:
 * these checks are plain functions. What they accept is what the store's shapes describe, with the same rules as a
 * schema library's loose objects: unknown keys are kept, a missing key with a default gets it, and the first
 * problem is reported as `path: message`.
 */

type Path = readonly (string | number)[];

class ShapeProblem extends Error {
  constructor(readonly path: Path, message: string) {
    super(message);
  }
}

/** Returns the checked value (a copy, with defaults filled in), or throws a ShapeProblem. */
export type Shape<T = unknown> = (value: unknown, path: Path) => T;

export type CheckResult<T> = { success: true; data: T } | { success: false; problem: string };

export function check<T>(shape: Shape<T>, value: unknown): CheckResult<T> {
  try {
    return { success: true, data: shape(value, []) };
  } catch (error) {
    if (!(error instanceof ShapeProblem)) throw error;
    const path = error.path.map(String).join('.');
    return { success: false, problem: path === '' ? error.message : `${path}: ${error.message}` };
  }
}

function fail(path: Path, message: string): never {
  throw new ShapeProblem(path, message);
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function expected(what: string, value: unknown, path: Path): never {
  return fail(path, `expected ${what}, got ${value === undefined ? 'nothing' : kind(value)}`);
}

export const string: Shape<string> = (value, path) => (typeof value === 'string' ? value : expected('a string', value, path));

export const nonEmptyString: Shape<string> = (value, path) => {
  const text = string(value, path);
  return text.length > 0 ? text : fail(path, 'expected a non-empty string');
};

/** A string that Date.parse reads. */
export const instant: Shape<string> = (value, path) => {
  const text = string(value, path);
  return Number.isNaN(Date.parse(text)) ? fail(path, 'not a date') : text;
};

export const number: Shape<number> = (value, path) => (typeof value === 'number' && Number.isFinite(value) ? value : expected('a number', value, path));

export const integer: Shape<number> = (value, path) => {
  const n = number(value, path);
  return Number.isSafeInteger(n) ? n : fail(path, 'expected a whole number');
};

export const count: Shape<number> = (value, path) => {
  const n = integer(value, path);
  return n >= 0 ? n : fail(path, 'expected a whole number of 0 or more');
};

export const positive: Shape<number> = (value, path) => {
  const n = integer(value, path);
  return n > 0 ? n : fail(path, 'expected a whole number of 1 or more');
};

export const boolean: Shape<boolean> = (value, path) => (typeof value === 'boolean' ? value : expected('true or false', value, path));

export function literal<T extends string | number | boolean>(wanted: T): Shape<T> {
  return (value, path) => (value === wanted ? wanted : fail(path, `expected ${JSON.stringify(wanted)}`));
}

export function oneOf<const T extends string>(choices: readonly T[]): Shape<T> {
  const known = new Set<unknown>(choices);
  return (value, path) => (known.has(value) ? (value as T) : fail(path, `expected one of ${choices.join(', ')}`));
}

export function refine<T>(shape: Shape<T>, test: (value: T) => boolean, message: string): Shape<T> {
  return (value, path) => {
    const checked = shape(value, path);
    return test(checked) ? checked : fail(path, message);
  };
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? null : shape(value, path));
}

export function list<T>(shape: Shape<T>): Shape<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) return expected('a list', value, path);
    const out: T[] = new Array<T>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = shape(value[i], [...path, i]);
    return out;
  };
}

/** A key that may be missing: then the result has no such key. */
export interface Optional<T> {
  optional: Shape<T>;
}
/** A key that may be missing: then the result has it, set to a fresh copy of `value`. */
export interface Defaulted<T> {
  shape: Shape<T>;
  fallback: () => T;
}

export const optional = <T>(shape: Shape<T>): Optional<T> => ({ optional: shape });
export const withDefault = <T>(shape: Shape<T>, fallback: () => T): Defaulted<T> => ({ shape, fallback });

type Field = Shape | Optional<unknown> | Defaulted<unknown>;
type FieldValue<F> = F extends Shape<infer T> ? T : F extends Optional<infer T> ? T | undefined : F extends Defaulted<infer T> ? T : never;
export type ObjectOf<F extends Record<string, Field>> = { [K in keyof F]: FieldValue<F[K]> } & Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key named `__proto__` (JSON.parse makes it an own key) stays a key, never the copy's prototype. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** An object with these keys checked, and any other keys kept as they are (a later version may add some). */
export function looseObject<F extends Record<string, Field>>(fields: F): Shape<ObjectOf<F>> {
  const entries = Object.entries(fields);
  const known = new Set(Object.keys(fields));
  return (value, path) => {
    if (!isObject(value)) return expected('an object', value, path);
    const out: Record<string, unknown> = {};
    for (const [key, field] of entries) {
      const present = Object.hasOwn(value, key) && value[key] !== undefined;
      if (typeof field === 'function') {
        out[key] = field(present ? value[key] : undefined, [...path, key]);
      } else if ('optional' in field) {
        if (present) out[key] = field.optional(value[key], [...path, key]);
      } else {
        out[key] = present ? field.shape(value[key], [...path, key]) : field.fallback();
      }
    }
    for (const key of Object.keys(value)) if (!known.has(key)) put(out, key, value[key]);
    return out as ObjectOf<F>;
  };
}

/** An object used as a map: any keys, each value of one shape. */
export function record<T>(shape: Shape<T>): Shape<Record<string, T>> {
  return (value, path) => {
    if (!isObject(value)) return expected('an object', value, path);
    const out: Record<string, T> = {};
    for (const key of Object.keys(value)) put(out, key, shape(value[key], [...path, key]));
    return out;
  };
}
