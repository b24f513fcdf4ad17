/**
 * A run's params: the values given (`--param NAME=VALUE`, text from a command line or JSON from the API) checked
 * against the pipeline's `params:` — unknown name, wrong type, value outside `enum`, no value and no default: one
 * line naming the param — with defaults filled in. Tasks see them only as `FLOW_PARAM_<NAME>` (upper case).
 */
import { FlowError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { ParamSpec, ParamValue } from './params-schema.js';
import type { Pipeline } from './types.js';

export type ParamValues = Record<string, ParamValue>;

export function resolveParams(pipeline: Pipeline, given: Readonly<Record<string, string | number | boolean>> | undefined): ParamValues {
  const declared = pipeline.params;
  const names = Object.keys(declared);
  const values: ParamValues = {};
  for (const [name, raw] of Object.entries(given ?? {})) {
    const spec = declared[name];
    if (spec === undefined) {
      const known = names.length === 0 ? `${pipeline.name} declares no params` : `its params: ${names.join(', ')}`;
      throw new FlowError('E_PARAM', `param "${name}": ${pipeline.name} has no such param${didYouMean(name, names)}`, { hint: known });
    }
    values[name] = convert(name, spec, raw);
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (values[name] !== undefined) continue;
    if (spec.default === undefined) {
      throw new FlowError('E_PARAM', `param "${name}" of ${pipeline.name} has no default: give it a value`, { hint: `add --param ${name}=VALUE${spec.description ? ` (${spec.description})` : ''}` });
    }
    values[name] = spec.default;
  }
  return values;
}

function convert(name: string, spec: ParamSpec, raw: string | number | boolean): ParamValue {
  let value: ParamValue;
  if (spec.type === 'number') {
    const number = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(number)) throw new FlowError('E_PARAM', `param "${name}": expected a number, got "${String(raw)}"`);
    value = number;
  } else if (spec.type === 'boolean') {
    const text = String(raw).toLowerCase();
    if (text !== 'true' && text !== 'false') throw new FlowError('E_PARAM', `param "${name}": expected true or false, got "${String(raw)}"`);
    value = text === 'true';
  } else {
    value = String(raw);
  }
  if (spec.enum !== undefined && !spec.enum.includes(value)) {
    throw new FlowError('E_PARAM', `param "${name}": "${String(raw)}" is not one of ${spec.enum.map(String).join(', ')}`);
  }
  return value;
}

/** `FLOW_PARAM_<NAME>` for each value: numbers as JavaScript writes them, booleans as true or false. */
export function paramEnv(values: ParamValues | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) env[`FLOW_PARAM_${name.toUpperCase()}`] = String(value);
  return env;
}
