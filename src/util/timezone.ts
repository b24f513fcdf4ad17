/** IANA time zone names, checked against the ICU data that Node ships. */
const valid = new Map<string, boolean>();

/** IANA names are at most 32 characters; ICU takes minutes over a megabyte-long one, so it never sees such. */
const MAX_ZONE_CHARS = 100;

export function isValidTimeZone(zone: string): boolean {
  if (zone.length > MAX_ZONE_CHARS) return false;
  let ok = valid.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    valid.set(zone, ok);
  }
  return ok;
}

/** The system's own zone, which cron uses when a job names none. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
