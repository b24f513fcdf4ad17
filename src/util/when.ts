/** Instants as people give them on the command line: `2026-03-29` (local midnight), an ISO instant, or `7d` ago. */
import { parseDuration } from './duration.js';

export function parseWhen(text: string, now: Date): Date | undefined {
  const ago = parseDuration(text);
  if (ago !== undefined && /[a-z]$/.test(text)) return new Date(now.getTime() - ago);
  const day = /^(\d{4})-(\d\d)-(\d\d)$/.exec(text);
  if (day !== null) {
    const date = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return Number.isNaN(date.getTime()) || date.getDate() !== Number(day[3]) ? undefined : date;
  }
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text)) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
