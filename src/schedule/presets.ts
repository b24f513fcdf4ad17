/**
 * The @ presets of crontab(5), with exactly the value sets and flags cronie's load_entry gives them (src/entry.c).
 * The flags matter: @hourly sets HR_STAR and so is a wildcard job across daylight-saving changes, while @daily,
 * @weekly, @monthly and @yearly set no minute or hour flag and are fixed-time jobs. cronie compares the name with
 * strcmp, so presets are lower-case only.
 */
import type { StarFlags } from './schedule.js';

export interface Preset {
  /** The five fields the preset stands for, as a person would write them. */
  readonly fields: readonly [minute: string, hour: string, dayOfMonth: string, month: string, dayOfWeek: string];
  readonly flags: StarFlags;
}

const none: StarFlags = { minute: false, hour: false, dayOfMonth: false, dayOfWeek: false };

const yearly: Preset = { fields: ['0', '0', '1', '1', '*'], flags: { ...none, dayOfWeek: true } };
const daily: Preset = { fields: ['0', '0', '*', '*', '*'], flags: none };

export const PRESETS: ReadonlyMap<string, Preset | 'reboot'> = new Map<string, Preset | 'reboot'>([
  ['reboot', 'reboot'],
  ['yearly', yearly],
  ['annually', yearly],
  ['monthly', { fields: ['0', '0', '1', '*', '*'], flags: { ...none, dayOfWeek: true } }],
  ['weekly', { fields: ['0', '0', '*', '*', '0'], flags: { ...none, dayOfMonth: true } }],
  ['daily', daily],
  ['midnight', daily],
  ['hourly', { fields: ['0', '*', '*', '*', '*'], flags: { ...none, hour: true } }],
]);

export const PRESET_NAMES: readonly string[] = [...PRESETS.keys()].map((name) => `@${name}`);
