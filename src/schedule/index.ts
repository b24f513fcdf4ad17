/** Placeholder until the schedule module lands: a basic shape check of a cron expression. */
const PRESETS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@reboot']);

export function checkSchedule(expression: string): string | undefined {
  const text = expression.trim();
  if (text.startsWith('@')) return PRESETS.has(text) ? undefined : `"${text}" is not a cron preset`;
  const fields = text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return `expected 5 fields (or 6 with seconds), got ${fields.length}`;
  return undefined;
}
