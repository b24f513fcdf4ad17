/** What flow reads from a crontab: plain data, the same for `--json`, pipeline generation and `--replace`. */

/** A user crontab (`crontab -l`) has five time fields and a command; a system one (/etc/crontab, /etc/cron.d) a user between. */
export type CrontabKind = 'user' | 'system';

export interface CrontabSource {
  /** How messages name it: a path, `-` for standard input, or `crontab -l`. */
  name: string;
  kind: CrontabKind;
  text: string;
}

export interface CrontabJob {
  /** The source's name (see CrontabSource). */
  file: string;
  /** 1-based. */
  line: number;
  /** The line as written, without its line ending. */
  text: string;
  /** The five time fields joined by one space, or the @ preset. */
  schedule: string;
  /** CRON_TZ in effect at the line (not empty), or null: the system's zone. */
  timezone: string | null;
  /** The sixth field of a system crontab; null in a user crontab. */
  user: string | null;
  /** What cron hands to `SHELL -c`: the text before the first unescaped `%`, with `\%` made `%`. */
  command: string;
  /** What cron writes to the command's standard input (the text after that `%`), or null when there is no `%`. */
  stdin: string | null;
  /** The crontab's own assignments in effect at the line, in cron's order (not cron's defaults). */
  env: Record<string, string>;
  /** A leading `-` (root and system crontabs): cron does not log the command to syslog. */
  noLog: boolean;
  /** The `-n` option before the command: cron mails the output only when the job fails. */
  mailOnFailureOnly: boolean;
}

export interface CrontabProblem {
  file: string;
  /** 1-based; null for a whole file (one cron does not read, or refuses as a whole). */
  line: number | null;
  message: string;
}

export interface ParsedCrontab {
  /** The source's name. */
  file: string;
  jobs: CrontabJob[];
  /** Lines cron refuses or flow cannot run as cron did; never silently dropped. */
  errors: CrontabProblem[];
  /** Lines imported with a difference worth knowing (RANDOM_DELAY, a CRLF file). */
  warnings: CrontabProblem[];
}

/** The owner of a job, as cron takes it from the passwd entry (getpwnam). */
export interface Account {
  name: string;
  uid: number;
  /** pw_dir; empty when unknown. */
  home: string;
}
