/**
 * `params:` — values a run is given (`--param NAME=VALUE`), each declared with a type, an optional default and
 * allowed values, as Airflow's DAG params are. They reach tasks only as `FLOW_PARAM_<NAME>` in the environment.
 */
import { z } from 'zod';

export const PARAM_TYPES = ['string', 'number', 'boolean'] as const;
export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const value = z.union([z.string().max(4096), z.number(), z.boolean()]);

export const paramsSchema = z
  .record(
    z.string().regex(PARAM_NAME, { error: 'a param name is letters, digits and _, not starting with a digit (it becomes FLOW_PARAM_<NAME>)' }),
    z
      .strictObject({
        type: z.enum(PARAM_TYPES).optional().describe('string (default), number or boolean.'),
        default: value.optional().describe('The value when none is given; without one, every run must give it.'),
        enum: z.array(value).min(1).optional().describe('The only values allowed.'),
        description: z.string().max(4096).optional().describe('What the param means.'),
      })
      .superRefine((spec, ctx) => {
        const type = spec.type ?? 'string';
        const fits = (item: unknown): boolean => typeof item === type;
        if (spec.default !== undefined && !fits(spec.default)) ctx.addIssue({ code: 'custom', path: ['default'], message: `expected a ${type}, as the param's type says` });
        spec.enum?.forEach((item, index) => {
          if (!fits(item)) ctx.addIssue({ code: 'custom', path: ['enum', index], message: `expected a ${type}, as the param's type says` });
        });
        if (spec.default !== undefined && spec.enum !== undefined && !spec.enum.includes(spec.default)) {
          ctx.addIssue({ code: 'custom', path: ['default'], message: `must be one of its enum: ${spec.enum.map(String).join(', ')}` });
        }
      }),
  )
  .describe('Values a run is given with --param NAME=VALUE, reaching tasks as FLOW_PARAM_<NAME>.');

export type ParamType = (typeof PARAM_TYPES)[number];
export type ParamValue = string | number | boolean;

export interface ParamSpec {
  type: ParamType;
  default: ParamValue | undefined;
  enum: ParamValue[] | undefined;
  description: string | undefined;
}
