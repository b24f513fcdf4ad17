/**
 * An independent oracle of when cronie runs a job, for checking src/schedule against. It shares no code with it:
 * it reads an expression with its own small reader and then replays cronie's daemon loop (src/cron.c, main and
 * find_jobs) tick by tick through real time, with the zone's offset read from Intl for every tick. Slow and
 * simple on purpose: it knows nothing about skipping ahead, transitions or gaps, only what cron.c does each minute.
 *
 * With flow's seconds field the tick is one second instead of one minute (the same rules "per second"); cron.c's
 * thresholds of 5 and 180 minutes stay in minutes.
 *
 * A job counts as started once per wake-up, at the instant of the wake-up: job_add does not queue a job that is
 * already queued. (cron.c drains its queue between the skipped minutes of one wake-up, so a real cronie may start
 * a job with several skipped matches more than once, seconds apart; flow, like this oracle, counts one start.)
 */

interface OracleJob {
  second: boolean[];
  minute: boolean[];
  hour: boolean[];
  dom: boolean[];
  month: boolean[];
  dow: boolean[];
  minStar: boolean;
  hrStar: boolean;
  domStar: boolean;
  dowStar: boolean;
  reboot: boolean;
  tick: 1 | 60;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Bits for one field, as entry.c's get_list fills them; the oracle trusts that the expression is valid. */
function bits(text: string, low: number, high: number, names: string[] = []): boolean[] {
  const set: boolean[] = new Array<boolean>(high + 1).fill(false);
  const number = (token: string): number => {
    const index = names.indexOf(token.toLowerCase());
    const value = index >= 0 ? index + low : Number.parseInt(token, 10);
    if (!Number.isInteger(value) || !/^[0-9a-zA-Z]+$/.test(token)) throw new Error(`oracle: bad value ${token}`);
    return value;
  };
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number.parseInt(stepText, 10);
    let first: number;
    let last: number;
    if (range === '*') {
      first = low;
      last = high;
    } else {
      const [a = '', b] = range.split('-');
      first = number(a);
      last = b === undefined ? first : number(b);
      // entry.c, R_RANGE_NUM2: a range ending in Sunday as 0 ends in 7 (flow keeps this to day-of-week).
      if (low === 0 && high === 7 && stepText === undefined && first > last && last === 0) last = 7;
    }
    for (let value = first; value <= last; value += step) {
      if (value < low || value > high) throw new Error(`oracle: ${value} out of ${low}-${high}`);
      set[value] = true;
    }
  }
  return set;
}

const all = (low: number, high: number): boolean[] => bits('*', low, high);
const only = (value: number, high: number): boolean[] => {
  const set: boolean[] = new Array<boolean>(high + 1).fill(false);
  set[value] = true;
  return set;
};

/** What entry.c's load_entry sets for each @ keyword: value bits and flags. */
function preset(name: string): OracleJob {
  const job: OracleJob = {
    second: only(0, 59), minute: only(0, 59), hour: only(0, 23), dom: all(1, 31), month: all(1, 12), dow: all(0, 7),
    minStar: false, hrStar: false, domStar: false, dowStar: false, reboot: false, tick: 60,
  };
  switch (name) {
    case 'reboot':
      return { ...job, reboot: true };
    case 'yearly':
    case 'annually':
      return { ...job, dom: only(1, 31), month: only(1, 12), dowStar: true };
    case 'monthly':
      return { ...job, dom: only(1, 31), dowStar: true };
    case 'weekly':
      return { ...job, dow: only(0, 7), domStar: true };
    case 'daily':
    case 'midnight':
      return job;
    case 'hourly':
      return { ...job, hour: all(0, 23), hrStar: true };
    default:
      throw new Error(`oracle: no preset @${name}`);
  }
}

export function oracleJob(expression: string): OracleJob {
  const text = expression.trim();
  let job: OracleJob;
  if (text.startsWith('@')) job = preset(text.slice(1));
  else {
    const fields = text.split(/\s+/);
    const seconds = fields.length === 6 ? fields.shift() : undefined;
    const [min = '', hr = '', dom = '', mon = '', dow = ''] = fields;
    job = {
      second: seconds === undefined ? only(0, 59) : bits(seconds, 0, 59),
      minute: bits(min, 0, 59),
      hour: bits(hr, 0, 23),
      dom: bits(dom, 1, 31),
      month: bits(mon, 1, 12, MONTHS),
      dow: bits(dow, 0, 7, DAYS),
      minStar: min.startsWith('*'),
      hrStar: hr.startsWith('*'),
      domStar: dom.startsWith('*'),
      dowStar: dow.startsWith('*'),
      reboot: false,
      tick: seconds === undefined ? 60 : 1,
    };
  }
  // load_entry: "make sundays equivalent".
  if (job.dow[0] === true || job.dow[7] === true) job.dow[0] = job.dow[7] = true;
  return job;
}

/** Offset east of UTC in seconds at an instant (ms), straight from Intl, memoised per minute. */
function offsetReader(zone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const exact = (ms: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]));
    const local = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
    return Math.round((local - Math.floor(ms / 1000) * 1000) / 1000);
  };
  const days = new Map<number, number | undefined>();
  const minutes = new Map<number, number>();
  let lastDay = Number.NaN;
  let lastSteady: number | undefined;
  return (ms) => {
    // A UTC day with the same offset at both ends is taken to have it throughout; otherwise ask minute by minute.
    const day = Math.floor(ms / 86_400_000);
    if (day !== lastDay) {
      if (!days.has(day)) {
        const start = exact(day * 86_400_000);
        days.set(day, start === exact((day + 1) * 86_400_000 - 1000) ? start : undefined);
      }
      lastDay = day;
      lastSteady = days.get(day);
    }
    if (lastSteady !== undefined) return lastSteady;
    const minute = Math.floor(ms / 60_000);
    let offset = minutes.get(minute);
    if (offset === undefined) {
      offset = exact(minute * 60_000);
      minutes.set(minute, offset);
    }
    return offset;
  };
}

/**
 * Instants in (from, to] at which cronie, running in `zone`, would start the job. Replays the loop from a few hours
 * before `from`, so that it knows whether `from` falls in a second pass through repeated wall-clock times.
 */
export function oracleFireTimes(expression: string, zone: string, from: Date, to: Date): Date[] {
  const job = oracleJob(expression);
  if (job.reboot) return [];
  const tick = job.tick;
  const tickMs = tick * 1000;
  const offset = offsetReader(zone);
  // The wall-clock date of a virtual time, as gmtime() gives it to find_jobs; remembered for the last day asked.
  let lastDay = Number.NaN;
  let dayOk = false;
  const matches = (local: number): boolean => {
    const seconds = local * tick;
    const day = Math.floor(seconds / 86_400);
    if (day !== lastDay) {
      const date = new Date(day * 86_400_000);
      const [month, dom, dow] = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay()];
      const both = job.domStar || job.dowStar;
      dayOk = job.month[month] === true
        && (both ? job.dom[dom] === true && job.dow[dow] === true : job.dom[dom] === true || job.dow[dow] === true);
      lastDay = day;
    }
    const within = seconds - day * 86_400;
    return dayOk && job.second[within % 60] === true && job.minute[Math.floor(within / 60) % 60] === true
      && job.hour[Math.floor(within / 3600)] === true;
  };
  const wild = job.minStar || job.hrStar;
  const fires: Date[] = [];
  let queued = false;
  // find_jobs: match the virtual time and queue the job if its kind is being run; job_add queues it once.
  const findJobs = (vtime: number, doWild: boolean, doNonWild: boolean): void => {
    if (matches(vtime) && ((doWild && wild) || (doNonWild && !wild))) queued = true;
  };

  const start = Math.floor(from.getTime() / tickMs) - Math.ceil((6 * 3600) / tick);
  const end = Math.floor(to.getTime() / tickMs);
  const clockAt = (real: number): number => Math.floor((real * tickMs + offset(real * tickMs) * 1000) / tickMs);
  let timeRunning = clockAt(start);
  let virtualTime = timeRunning;
  const minutes = 60 / tick;
  for (let real = start + 1; real <= end; real++) {
    const clockTime = clockAt(real);
    if (clockTime === timeRunning) continue; // cron_sleep until the clock shows a new minute
    timeRunning = clockTime;
    const timeDiff = timeRunning - virtualTime;
    queued = false;
    if (timeDiff === 1) {
      virtualTime = timeRunning;
      findJobs(virtualTime, true, true);
    } else if (timeDiff > 180 * minutes || timeDiff < -180 * minutes) {
      virtualTime = timeRunning;
      findJobs(timeRunning, true, true);
    } else if (timeDiff > 5 * minutes) {
      findJobs(timeRunning, true, false);
      do {
        virtualTime++;
        findJobs(virtualTime, false, true);
      } while (virtualTime < timeRunning);
    } else if (timeDiff > 0) {
      do {
        virtualTime++;
        findJobs(virtualTime, true, true);
      } while (virtualTime < timeRunning);
    } else {
      findJobs(timeRunning, true, false);
    }
    if (queued && real * tickMs > from.getTime()) fires.push(new Date(real * tickMs));
  }
  return fires;
}
