/** IANA time zone names, checked against the ICU data that Node ships. */
const valid = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
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
