/**
 * The JSON bodies clients post, as zod schemas, and the one way they are checked. The routes import this module
 * when a body arrives, not at start: an idle daemon keeps the schema library out of its memory.
 */
import { z } from 'zod';
import { FlowError } from '../errors.js';

export const triggerBody = z.strictObject({
  date: z.string().min(1).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
});

export const retryBody = z.strictObject({ task: z.string().min(1).optional(), downstream: z.boolean().optional() });

/** A body checked against its schema; every problem in one 400 line, as `field: message`. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`);
  throw new FlowError('E_USAGE', `bad request body: ${problems.join('; ')}`);
}
