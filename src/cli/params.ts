/** `--param K=V` as given on the command line, before the pipeline's `params:` checks them. */
import { FlowError } from '../errors.js';

export function parseParamFlags(values: string[] | undefined): Record<string, string> | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const params: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new FlowError('E_PARAM', `--param: "${value}" is not NAME=VALUE`, { hint: 'write --param region=eu' });
    params[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return params;
}
