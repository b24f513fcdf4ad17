/** A parsed schedule: plain data, the sets of values each field allows and the flags cronie keeps beside them. */
export interface Schedule {
  /** As written (without surrounding blanks). */
  readonly expression: string;
  /** `@reboot`: runs when the daemon starts and has no fire times. */
  readonly reboot: boolean;
  /** The optional leading seconds field (a flow extension) was given. */
  readonly hasSeconds: boolean;
  /** `[0]` without the seconds field. Every list is sorted; empty only for `@reboot`. */
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0 is Sunday; 7 in the expression is folded into 0. */
  readonly daysOfWeek: readonly number[];
  /**
   * cronie's find_jobs (src/cron.c) requires both day fields to match when either field's text starts with `*`
   * (DOM_STAR or DOW_STAR), and either one otherwise. A stepped star counts as a star: with day-of-month every
   * other day and day-of-week Monday, the job runs on odd days that are Mondays.
   */
  readonly dayRule: 'and' | 'or';
  /**
   * cronie's two kinds of job for daylight-saving changes (src/cron.c): a wildcard job has a minute or hour field
   * starting with `*` (MIN_STAR or HR_STAR, also set by @hourly); every other job is a fixed-time job.
   */
  readonly kind: 'wildcard' | 'fixed';
}

/** The flags cronie's load_entry sets beside the value sets (src/entry.c). */
export interface StarFlags {
  readonly minute: boolean;
  readonly hour: boolean;
  readonly dayOfMonth: boolean;
  readonly dayOfWeek: boolean;
}
