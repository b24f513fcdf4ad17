/**
 * The global config file: hooks for every pipeline (so a server sets up alerting once) and history retention.
 * `$FLOW_CONFIG`, else `~/.config/flow/config.yaml` (`/etc/flow/config.yaml` for root). A missing file is an empty
 * config; an invalid one is every problem at once, as `file:line:col: path: message`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { FlowError, ValidationError, type Problem } from '../errors.js';
import { fromZodIssues } from '../pipeline/issues.js';
import { pathText, place } from '../pipeline/load.js';
import { LIMITS } from '../pipeline/limits.js';
import { bounded, durationText, secretNames } from '../pipeline/schema.js';
import type { DocPath } from '../pipeline/source.js';
import type { HookCommand, Hooks } from '../pipeline/types.js';
import { parseYamlPipeline } from '../pipeline/yaml.js';
import { DEFAULT_RETENTION, type Retention } from '../store/retention.js';
import { clusterSettings, PREFIX_PATTERN, redisUrlProblem, type ClusterSettings } from '../cluster/settings.js';
import { parseDuration } from '../util/duration.js';
import { readBounded } from '../util/read-bounded.js';
import { configDir, type Env } from '../util/paths.js';

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

export interface UiConfig {
  enabled: boolean;
  listen: string | undefined;
  hosts: string[];
  readOnly: boolean;
}

const KEYS = Object.keys(configSchema.shape);
const NESTED: Record<string, string[]> = { retention: ['keep_runs', 'keep_days'], cluster: ['redis', 'prefix'], ui: ['enabled', 'listen', 'hosts', 'read_only'] };
const knownKeys = (path: DocPath): string[] => (path.length === 0 ? KEYS : (NESTED[String(path[0])] ?? []));

export interface GlobalConfig {
  file: string | undefined;
  hooks: Hooks;
  hookTimeoutMs: number | undefined;
  /** Names whose values are secret in every pipeline. */
  secrets: string[];
  retention: Retention;
  /** Cluster mode (src/cluster): the config file's `cluster:`, `FLOW_REDIS_URL` over its URL; undefined: off. */
  cluster: ClusterSettings | undefined;
  ui: UiConfig;
}

const NO_UI: UiConfig = { enabled: false, listen: undefined, hosts: [], readOnly: false };

export function configPath(env: Env): string {
  if (env.FLOW_CONFIG) return env.FLOW_CONFIG;
  if (process.getuid?.() === 0 && !env.XDG_CONFIG_HOME) return '/etc/flow/config.yaml';
  return join(configDir(env), 'config.yaml');
}

export async function loadGlobalConfig(env: Env): Promise<GlobalConfig> {
  const file = configPath(env);
  let text: string;
  try {
    const read = await readBounded(file, LIMITS.fileBytes);
    if (!('text' in read)) {
      const why = 'tooLarge' in read ? `the file is ${read.tooLarge} bytes; a config file holds at most ${LIMITS.fileBytes}` : 'not a regular file';
      throw new ValidationError([{ file, line: 1, col: 1, path: '', message: why }]);
    }
    text = read.text;
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !env.FLOW_CONFIG) return { file: undefined, hooks: {}, hookTimeoutMs: undefined, secrets: [], retention: DEFAULT_RETENTION, cluster: clusterSettings(undefined, env), ui: NO_UI };
    throw new FlowError('E_NOT_FOUND', `cannot read the config file ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(error))}`, { hint: 'FLOW_CONFIG names it' });
  }
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
