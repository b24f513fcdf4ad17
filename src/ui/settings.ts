/** The web UI's settings from the command line over the config file's `ui:` (command line wins). */
import type { UiConfig } from '../config/global.js';
import { DEFAULT_LISTEN, parseListen } from './listen.js';
import type { UiSettings } from './start.js';

export interface UiFlags {
  listen?: string | undefined;
  hostName?: string[] | undefined;
  readOnly?: boolean | undefined;
}

export function uiSettings(flags: UiFlags, config: UiConfig): UiSettings {
  const listen = flags.listen !== undefined ? parseListen(flags.listen) : config.listen !== undefined ? parseListen(config.listen, 'config file: ui.listen') : DEFAULT_LISTEN;
  return { listen, hostNames: [...config.hosts, ...(flags.hostName ?? [])], readOnly: (flags.readOnly ?? false) || config.readOnly };
}
