/**
 * Times in a zone written from the schedule's offset tables (what the daemon does, with the tables its loader made)
 * are the times ICU writes: across daylight-saving changes, half-hour and 45-minute zones, and local mean time.
 */
import { describe, expect, it } from 'vitest';
import { knownOffsetAt, seedZoneTables, transitionsBetween, zoneYears } from '../../../src/schedule/zone.js';
import { dayOf, isoWithOffset } from '../../../src/util/time.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns', 'Africa/Casablanca', 'UTC'];

/** Instants every 19 hours and 13 minutes through the years, and a second either side of each change of offset. */
function instants(zone: string, from: string, to: string): Date[] {
  const start = Date.parse(from) / 1000;
  const end = Date.parse(to) / 1000;
  const out: number[] = [];
  for (let at = start; at < end; at += 19 * 3600 + 13 * 60) out.push(at);
  for (const change of transitionsBetween(zone, start, end)) out.push(change.at - 1, change.at, change.at + 1);
  return out.map((at) => new Date(at * 1000 + 250));
}

describe('times in a zone from offset tables', () => {
  it('are the times ICU gives, in the years the loader makes tables for and in local mean time', () => {
    const cases = ZONES.flatMap((zone) => [
      ...instants(zone, '2025-01-01T00:00:00Z', '2028-01-01T00:00:00Z').map((at) => ({ zone, at })),
      ...(zone === 'America/New_York' ? instants(zone, '1883-01-01T00:00:00Z', '1884-01-01T00:00:00Z').map((at) => ({ zone, at })) : []),
    ]);
    const byIcu = cases.map(({ zone, at }) => {
      const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
      const offset = /GMT([+-]\d\d:\d\d)/.exec(parts.timeZoneName ?? '')?.[1] ?? '+00:00';
      return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.250${offset}`;
    });
    // What ICU writes, asked directly; then what isoWithOffset writes from the tables.
    seedZoneTables([...zoneYears(ZONES, new Date('2026-06-01T00:00:00Z')), ...zoneYears(['America/New_York'], new Date('1883-06-01T00:00:00Z'))]);
    for (const { zone, at } of cases) expect(knownOffsetAt(zone, Math.floor(at.getTime() / 1000))).toBeDefined();
    expect(cases.map(({ zone, at }) => isoWithOffset(at, zone))).toEqual(byIcu);
    expect(dayOf(new Date('2026-03-29T22:30:00Z'), 'Europe/Paris')).toBe('2026-03-30');
  });
});
