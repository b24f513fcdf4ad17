/**
 * The global config file: hooks for every pipeline (so a server sets up alerting once) and history retention.
 * `$FLOW_CONFIG`, else `~/.config/flow/config.yaml` (`/etc/flow/config.yaml` for root). A missing file is an empty
 * config; an invalid one is every problem at once, as `file:line:col: path: message`. Every command reads it, and
 * most machines have none: the parser and the schema (./parse.ts) are loaded only when there is a file to read.
 */
import { join } from 'node:path';
import { FlowError, ValidationError } from '../errors.js';
import { LIMITS } from '../pipeline/limits.js';
import type { Hooks } from '../pipeline/types.js';
import { DEFAULT_RETENTION, type Retention } from '../store/retention.js';
import { clusterSettings, type ClusterSettings } from '../cluster/settings.js';
import { readBounded } from '../util/read-bounded.js';
import { configDir, type Env } from '../util/paths.js';

export interface UiConfig {
  enabled: boolean;
  listen: string | undefined;
  hosts: string[];
  readOnly: boolean;
}

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
  return (await import('./parse.js')).parseGlobalConfig(text, file, env);
}
