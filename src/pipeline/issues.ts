/** Turns schema issues into one plain sentence each, saying what was expected and what was found. */
import type { z } from 'zod';
import { didYouMean } from '../util/suggest.js';
import { DEFAULTS_KEYS, PIPELINE_KEYS, TASK_KEYS } from './schema.js';
import { grouped } from './limits.js';
import type { DocPath } from './source.js';

export interface RawProblem {
  path: DocPath;
  at?: 'key' | 'value';
  message: string;
}

export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'function') return 'a function';
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 37)}...` : input);
  return typeof input === 'number' || typeof input === 'boolean' ? String(input) : typeof input;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function pipelineKeys(path: DocPath): string[] {
  if (path.length === 0) return PIPELINE_KEYS;
  if (path[0] === 'defaults') return DEFAULTS_KEYS;
  if (path[0] === 'tasks') return TASK_KEYS;
  return [];
}

export function fromZodIssues(issues: readonly z.core.$ZodIssue[], knownKeys: (path: DocPath) => string[] = pipelineKeys): RawProblem[] {
  return issues.flatMap((issue): RawProblem[] => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          path: [...path, key],
          at: 'key',
          message: `unknown key ${describeInput(key)}${didYouMean(key, knownKeys(path))}`,
        }));
      case 'invalid_type':
        if (input === undefined) return [{ path, message: 'is required' }];
        // A schema's own message ("expected a duration such as 30s") says more than the type's name.
        if (!issue.message.startsWith('Invalid')) return [{ path, message: `${issue.message}, got ${describeInput(input)}` }];
        return [{ path, message: `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeInput(input)}` }];
      case 'invalid_value': {
        const values = issue.values.map(String);
        const hint = typeof input === 'string' ? didYouMean(input, values) : '';
        return [{ path, message: `expected one of ${values.join(', ')}, got ${describeInput(input)}${hint}` }];
      }
      case 'too_small':
        if (issue.origin === 'string') return [{ path, message: 'must not be empty' }];
        return [{ path, message: `must be at least ${String(issue.minimum)}, got ${describeInput(input)}` }];
      case 'too_big':
        if (issue.origin === 'string' && typeof input === 'string') return [{ path, message: `${issue.message}, got ${grouped(input.length)}` }];
        return [{ path, message: `${issue.message}, got ${describeInput(input)}` }];
      case 'invalid_key':
        return [{ path, at: 'key', message: `key ${describeInput(path.at(-1))} ${issue.issues[0]?.message ?? 'is not allowed'}` }];
      case 'invalid_format':
        return [{ path, message: `${issue.message}, got ${describeInput(input)}` }];
      default:
        return [{ path, message: issue.message }];
    }
  });
}
