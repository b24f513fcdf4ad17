/** The global config file's text, checked against its schema: the config, or a ValidationError with every problem. */
import { z } from 'zod';
import { ValidationError, type Problem } from '../errors.js';
import { fromZodIssues } from '../pipeline/issues.js';
import { pathText, place } from '../pipeline/load.js';
import { LIMITS } from '../pipeline/limits.js';
import { bounded, durationText, secretNames } from '../pipeline/schema.js';
import type { DocPath } from '../pipeline/source.js';
import type { HookCommand, Hooks } from '../pipeline/types.js';
import { parseYamlPipeline } from '../pipeline/yaml.js';
import { DEFAULT_RETENTION } from '../store/retention.js';
import { clusterSettings, PREFIX_PATTERN, redisUrlProblem } from '../cluster/settings.js';
import { parseDuration } from '../util/duration.js';
import type { Env } from '../util/paths.js';
import type { GlobalConfig } from './global.js';

const command = bounded(LIMITS.commandChars, { min: 1 });
const hook = z.union([command, z.array(command)]);
const duration = durationText('expected a duration such as 30s');

const configSchema = z.strictObject({
  on_failure: hook.optional(),
  on_retry: hook.optional(),
  on_success: hook.optional(),
  on_start: hook.optional(),
  on_sla_miss: hook.optional(),
  hook_timeout: duration.optional(),
  secrets: secretNames.optional(),
  retention: z.strictObject({ keep_runs: z.number().int().min(1).optional(), keep_days: z.number().int().min(1).optional() }).optional(),
  cluster: z
    .strictObject({
      redis: bounded(LIMITS.commandChars, { min: 1 }).check((ctx) => {
        const problem = redisUrlProblem(ctx.value);
        if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
      }),
      prefix: z.string().regex(PREFIX_PATTERN, { error: 'expected letters, digits, ".", "_" and "-" (at most 64), starting with a letter or digit' }).optional(),
    })
    .optional(),
  // The web UI of `flow daemon` and `flow ui` (src/ui/settings.ts reads it).
  ui: z
    .strictObject({
      enabled: z.boolean().optional(),
      listen: z.string().max(300).optional(),
      hosts: z.array(z.string().min(1).max(253)).max(64).optional(),
      read_only: z.boolean().optional(),
    })
    .optional(),
});

const KEYS = Object.keys(configSchema.shape);
const NESTED: Record<string, string[]> = { retention: ['keep_runs', 'keep_days'], cluster: ['redis', 'prefix'], ui: ['enabled', 'listen', 'hosts', 'read_only'] };
const knownKeys = (path: DocPath): string[] => (path.length === 0 ? KEYS : (NESTED[String(path[0])] ?? []));

export function parseGlobalConfig(text: string, file: string, env: Env): GlobalConfig {
  const parsed = parseYamlPipeline(text);
  const problems: Problem[] = parsed.problems.map((problem) => ({ ...problem, file, ...pathText(problem) }));
  if (problems.length > 0) throw new ValidationError(problems);
  const result = configSchema.safeParse(parsed.data ?? {}, { reportInput: true });
  if (!result.success) throw new ValidationError(fromZodIssues(result.error.issues, knownKeys).map((problem) => place(problem, file, parsed.source)));
  const data = result.data;
  const hooks: Hooks = {};
  for (const event of ['on_failure', 'on_retry', 'on_success', 'on_start', 'on_sla_miss'] as const) {
    const value: HookCommand | undefined = data[event];
    if (value !== undefined) hooks[event] = typeof value === 'string' ? [value] : value;
  }
  return {
    file,
    hooks,
    hookTimeoutMs: data.hook_timeout === undefined ? undefined : parseDuration(data.hook_timeout),
    secrets: data.secrets ?? [],
    retention: { keepRuns: data.retention?.keep_runs ?? DEFAULT_RETENTION.keepRuns, keepDays: data.retention?.keep_days ?? DEFAULT_RETENTION.keepDays },
    cluster: clusterSettings(data.cluster, env),
    ui: { enabled: data.ui?.enabled ?? false, listen: data.ui?.listen, hosts: data.ui?.hosts ?? [], readOnly: data.ui?.read_only ?? false },
  };
}
