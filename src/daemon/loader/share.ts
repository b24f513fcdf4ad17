/**
 * What the loader sends arrives as copies: every string and every schedule once per place it appears (V8's
 * deserializer makes a new one each time). The daemon keeps 500 pipelines for as long as it runs, so before they go
 * into the catalog, equal strings become one string and schedules of the same expression one Schedule (plain,
 * read-only data; the wall-clock matcher's tables, kept per Schedule, are then made once too).
 */
import type { Schedule } from '../../schedule/schedule.js';
import type { CatalogLoad, Unchanged } from './job.js';

export function shareAlike(loaded: (CatalogLoad | Unchanged)[]): void {
  const strings = new Map<string, string>();
  const schedules = new Map<string, Schedule>();
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const known = strings.get(value);
      if (known !== undefined) return known;
      strings.set(value, value);
      return value;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = walk(value[index]);
      return value;
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = walk(record[key]);
    return value;
  };
  for (const entry of loaded) {
    walk(entry);
    if ('unchanged' in entry) continue;
    const schedule = entry.schedule;
    if (schedule === undefined) continue;
    const same = schedules.get(schedule.expression);
    if (same === undefined) schedules.set(schedule.expression, schedule);
    else entry.schedule = same;
  }
}
