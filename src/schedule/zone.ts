/**
 * A time zone's offsets from UTC and the instants they change, in seconds, read from the ICU time zone data that
 * Node ships. Changes are found once per zone and year, by sampling the offset every two days and bisecting to the
 * second where it differs, and are kept: the data cannot change while the process runs.
 */
import { ScheduleError } from './errors.js';

export interface Transition {
  /** The first instant (seconds since the epoch) on the new offset. */
  readonly at: number;
  /** Offsets east of UTC, in seconds, before and from `at`. */
  readonly before: number;
  readonly after: number;
}

interface YearTable {
  readonly startOffset: number;
  /** Changes in (start of the year, start of the next year], oldest first. */
  readonly transitions: readonly Transition[];
}

/**
 * Daylight-saving periods last weeks or months: sampling every two days, then bisecting, finds every change of
 * offset but a pair that undoes itself within two days. A year costs about 180 ICU calls, once.
 */
const SAMPLE_SECONDS = 2 * 86_400;
const MAX_TABLES = 4_096;

const formatters = new Map<string, Intl.DateTimeFormat>();
const tables = new Map<string, YearTable>();
/** Zones whose tables came from another process (seedZoneTables): known to be zones without asking ICU. */
const seeded = new Set<string>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      throw new ScheduleError(`unknown time zone "${zone}" (use an IANA name such as Europe/Berlin or UTC)`, 'timezone');
    }
    formatters.set(zone, format);
  }
  return format;
}

/** Throws a ScheduleError for a name that is not a time zone. A zone whose tables were seeded is one. */
export function checkZone(zone: string): void {
  if (!seeded.has(zone)) formatter(zone);
}

const OFFSET = /GMT([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?/;

/** The zone's offset east of UTC, in seconds, read from ICU (`GMT-04:56:02` before railway time in New York). */
function icuOffset(zone: string, instant: number): number {
  const match = OFFSET.exec(formatter(zone).format(new Date(instant * 1000)));
  if (match === null) return 0;
  const [, sign, hours = '0', minutes = '0', seconds = '0'] = match;
  const value = Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
  return sign === '-' ? -value : value;
}

function yearStart(year: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, 0, 1);
  return date.getTime() / 1000;
}

function tableFor(zone: string, year: number): YearTable {
  const key = `${zone}\n${year}`;
  let table = tables.get(key);
  if (table === undefined) {
    const start = yearStart(year);
    const end = yearStart(year + 1);
    const transitions: Transition[] = [];
    const startOffset = icuOffset(zone, start);
    let from = start;
    let fromOffset = startOffset;
    while (from < end) {
      const to = Math.min(from + SAMPLE_SECONDS, end);
      const toOffset = icuOffset(zone, to);
      if (toOffset !== fromOffset) findChanges(zone, from, fromOffset, to, toOffset, transitions);
      from = to;
      fromOffset = toOffset;
    }
    if (tables.size >= MAX_TABLES) tables.clear();
    table = { startOffset, transitions };
    tables.set(key, table);
  }
  return table;
}

/** Every change in (from, to], given the offsets at both ends differ. */
function findChanges(zone: string, from: number, fromOffset: number, to: number, toOffset: number, out: Transition[]): void {
  let low = from;
  let lowOffset = fromOffset;
  while (lowOffset !== toOffset) {
    let high = to;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (icuOffset(zone, middle) === lowOffset) low = middle;
      else high = middle;
    }
    const after = icuOffset(zone, high);
    out.push({ at: high, before: lowOffset, after });
    low = high;
    lowOffset = after;
  }
}

function yearOf(instant: number): number {
  return new Date(instant * 1000).getUTCFullYear();
}

/** The offset east of UTC, in seconds, in force at an instant. */
export function offsetAt(zone: string, instant: number): number {
  const table = tableFor(zone, yearOf(instant));
  let offset = table.startOffset;
  for (const change of table.transitions) {
    if (change.at > instant) break;
    offset = change.after;
  }
  return offset;
}

/** The changes of offset in (fromExclusive, toInclusive], oldest first. */
export function transitionsBetween(zone: string, fromExclusive: number, toInclusive: number): Transition[] {
  const found: Transition[] = [];
  const last = yearOf(toInclusive);
  for (let year = yearOf(fromExclusive); year <= last; year++) {
    for (const change of tableFor(zone, year).transitions) {
      if (change.at > fromExclusive && change.at <= toInclusive) found.push(change);
    }
  }
  return found;
}

/** One zone's year, as plain data that can travel between processes. */
export interface ZoneYear {
  readonly zone: string;
  readonly year: number;
  readonly table: YearTable;
}

/**
 * The tables of these zones for the years around `now`, made here (through ICU). The daemon's pipeline loader sends
 * them with the pipelines, so that the daemon, which needs no other part of ICU, never loads its locale and zone
 * data (about 7 MiB of memory) for the years it schedules in; a year outside them is made when it is needed.
 */
export function zoneYears(zones: Iterable<string>, now: Date): ZoneYear[] {
  const year = now.getUTCFullYear();
  const out: ZoneYear[] = [];
  for (const zone of new Set(zones)) {
    for (let y = year - 1; y <= year + 2; y++) out.push({ zone, year: y, table: tableFor(zone, y) });
  }
  return out;
}

/** Tables made by zoneYears in another process: used as if made here. */
export function seedZoneTables(years: readonly ZoneYear[]): void {
  for (const { zone, year, table } of years) {
    const key = `${zone}\n${year}`;
    if (!tables.has(key)) {
      if (tables.size >= MAX_TABLES) tables.clear();
      tables.set(key, table);
    }
    seeded.add(zone);
  }
}

/**
 * The offset east of UTC, in seconds, at an instant, when the zone's table for its year is already made (or seeded);
 * undefined otherwise. For formatting times without ICU where the tables are at hand (src/util/time.ts).
 */
export function knownOffsetAt(zone: string, instant: number): number | undefined {
  return tables.has(`${zone}\n${yearOf(instant)}`) ? offsetAt(zone, instant) : undefined;
}
