/**
 * Seeded random input for the schedule fuzz test: arbitrary strings made mostly of cron's own characters, and
 * expressions that crontab(5) accepts, so a failure can be replayed from its seed.
 */
export type Random = () => number;

/** A small seeded generator (xorshift32), enough to make reproducible test input. */
export function seeded(seed: number): Random {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

export const int = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const CHARACTERS = '0123456789*/-,~?#LWH@ \t abcdefghijklmnopqrstuvwxyzJANFEBMONSUN.+_%$\n\u00a0é日';
const TOKENS = ['*', '*/5', '1-5', '0', '59', '60', '61', '7', '8', '-1', 'L', '5L', '?', '1#2', 'H', 'mon', 'jan', 'foo', '', ',', '/', '*/0', '5/10', '@daily', '@every', '@reboot', '~', '1~5', '99999999999999999999'];

/** Anything at all, biased towards what looks like cron. */
export function randomString(random: Random): string {
  if (random() < 0.5) {
    const count = int(random, 0, 8);
    return Array.from({ length: count }, () => pick(random, TOKENS)).join(random() < 0.8 ? ' ' : pick(random, ['', '  ', '\t', ',']));
  }
  const length = int(random, 0, 40);
  return Array.from({ length }, () => pick(random, [...CHARACTERS])).join('');
}

interface Field {
  low: number;
  high: number;
  names?: readonly string[];
}

const SECOND: Field = { low: 0, high: 59 };
const MINUTE: Field = { low: 0, high: 59 };
const HOUR: Field = { low: 0, high: 23 };
const DOM: Field = { low: 1, high: 31 };
const MONTH: Field = { low: 1, high: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] };
const DOW: Field = { low: 0, high: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

function value(random: Random, field: Field, value: number): string {
  const name = field.names?.[value - field.low];
  if (name === undefined || random() < 0.6) return String(value);
  const cased = pick(random, [name, name.toUpperCase(), name[0]?.toUpperCase() + name.slice(1)]);
  return cased;
}

function item(random: Random, field: Field): string {
  const roll = random();
  if (roll < 0.2) return '*';
  if (roll < 0.35) return `*/${int(random, 1, field.high)}`;
  const a = int(random, field.low, field.high);
  if (roll < 0.65) return value(random, field, a);
  const b = int(random, a, field.high);
  if (field === DOW && random() < 0.1 && a > 0) return `${value(random, field, a)}-${value(random, field, 0)}`; // Sunday as 0 ending a range
  const range = `${value(random, field, a)}-${value(random, field, b)}`;
  return roll < 0.85 ? range : `${range}/${int(random, 1, field.high)}`;
}

function field(random: Random, spec: Field): string {
  const count = random() < 0.75 ? 1 : int(random, 2, 4);
  return Array.from({ length: count }, () => item(random, spec)).join(',');
}

const PRESETS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot'];

/** An expression cronie accepts (or flow's six-field form of one). */
export function randomExpression(random: Random): string {
  if (random() < 0.05) return pick(random, PRESETS);
  const fields = [MINUTE, HOUR, DOM, MONTH, DOW].map((spec) => field(random, spec));
  if (random() < 0.15) fields.unshift(field(random, SECOND));
  return fields.join(random() < 0.9 ? ' ' : '\t');
}
