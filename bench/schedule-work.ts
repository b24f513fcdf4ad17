// The schedule functions' timings for `npm run bench` (schedule): the claims the daemon relies on (a next fire time
// well under a millisecond, a rare schedule found by skipping, a never-firing one answered without a search, no
// input that takes long), measured side by side with cron-parser on the same inputs. Bundled by bench/schedule.mjs.
import { CronExpressionParser } from 'cron-parser';
import { canFire, checkSchedule, fireTimesBetween, nextFireTime, nextFireTimes, parseSchedule } from '../src/schedule/index.js';
import { int, pick, randomExpression, randomString, seeded, type Random } from '../test/helpers/cron-random.js';

const EXPRESSIONS = ['* * * * *', '*/10 * * * * *', '30 2 * * *', '0 */2 * * *', '0 9 * * mon-fri', '0 0 1 * *', '@yearly', '0 0 13 * fri', '0 0 */2 * mon', '0 12 31 * *'];
const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe'];

/** The best of `tries` timings of `work`, in ms: the functions are pure, so only noise makes one try slower. */
function bestOf(tries: number, work: () => void): number {
  let best = Infinity;
  for (let attempt = 0; attempt < tries; attempt++) {
    const began = performance.now();
    work();
    best = Math.min(best, performance.now() - began);
  }
  return best;
}

export interface ScheduleFigures {
  calls: number;
  flowPerCallMs: number;
  cronParserPerCallMs: number;
  rareMs: number;
  rareCronParserMs: number;
  rareCronParserAnswer: string;
  commonMs: number;
  neverPerCallMs: number;
  fuzzCalls: number;
  fuzzSlowestMs: number;
  fuzzSlowest: string;
}

export function measure(): ScheduleFigures {
  const start = new Date('2026-01-01T00:00:00Z').getTime();
  const afters = Array.from({ length: 400 }, (_, step) => new Date(start + step * 21_601_000));
  const schedules = EXPRESSIONS.map(parseSchedule);
  const parsers = ZONES.flatMap((tz) => EXPRESSIONS.map((expression) => CronExpressionParser.parse(expression, { tz, currentDate: afters[0] })));
  // Warm up: zone tables and compiled code are once per process.
  for (const zone of ZONES) for (const schedule of schedules) nextFireTime(schedule, zone, afters[0] as Date);
  const calls = afters.length * ZONES.length * schedules.length;
  const flowMs = bestOf(3, () => {
    for (const after of afters) for (const zone of ZONES) for (const schedule of schedules) nextFireTime(schedule, zone, after);
  });
  const cronParserMs = bestOf(3, () => {
    for (const after of afters) {
      for (const parser of parsers) {
        parser.reset(after);
        parser.next();
      }
    }
  });

  // February 29 that is a Sunday: from 2033 the next is 2060. A walk minute by minute would take 14 million steps.
  const rare = parseSchedule('0 0 29 2 */7');
  const from = new Date('2033-01-01T00:00:00Z');
  nextFireTime(rare, 'UTC', from);
  const rareMs = bestOf(3, () => nextFireTime(rare, 'UTC', from));
  const rareParser = CronExpressionParser.parse('0 0 29 2 */7', { tz: 'UTC', currentDate: from });
  let rareCronParserAnswer = '';
  const rareCronParserMs = bestOf(3, () => {
    rareParser.reset(from);
    try {
      rareCronParserAnswer = rareParser.next().toISOString() ?? '';
    } catch (error) {
      rareCronParserAnswer = `gave up: ${(error as Error).message}`;
    }
  });
  const common = schedules[0] as ReturnType<typeof parseSchedule>;
  const commonMs = bestOf(3, () => nextFireTime(common, 'UTC', from));

  const never = parseSchedule('* * 31 2 *');
  const neverPerCallMs = bestOf(3, () => {
    for (let n = 0; n < 1_000; n++) nextFireTime(never, 'UTC', from);
  }) / 1_000;

  const fuzz = fuzzSlowest();
  return { calls, flowPerCallMs: flowMs / calls, cronParserPerCallMs: cronParserMs / calls, rareMs, rareCronParserMs, rareCronParserAnswer, commonMs, neverPerCallMs, ...fuzz };
}

/** The slowest single call (best of three) over 10,000 fuzzed inputs through every entry point. */
function fuzzSlowest(): { fuzzCalls: number; fuzzSlowestMs: number; fuzzSlowest: string } {
  let slowest = { ms: 0, what: '' };
  let count = 0;
  const timed = (what: string, call: () => unknown): void => {
    count += 1;
    const ms = bestOf(3, () => {
      try {
        call();
      } catch {
        // A ScheduleError is an answer too; the unit fuzz test checks which errors are allowed.
      }
    });
    if (ms > slowest.ms) slowest = { ms, what };
  };
  const exercise = (text: string, random: Random): void => {
    let schedule: ReturnType<typeof parseSchedule>;
    try {
      schedule = parseSchedule(text);
    } catch {
      timed(`check ${JSON.stringify(text)}`, () => checkSchedule(text));
      return;
    }
    const zone = pick(random, ZONES);
    const after = new Date(Date.UTC(int(random, 1990, 2060), 0, 1) + Math.floor(random() * 366 * 86_400_000));
    timed(`parse ${JSON.stringify(text)}`, () => parseSchedule(text));
    timed(`canFire ${JSON.stringify(text)}`, () => canFire(schedule));
    timed(`next ${JSON.stringify(text)} ${zone} ${after.toISOString()}`, () => nextFireTimes(schedule, zone, after, 3));
    const to = new Date(after.getTime() + int(random, 0, 86_400_000));
    timed(`between ${JSON.stringify(text)} ${zone}`, () => fireTimesBetween(schedule, zone, after, to, 100));
  };
  for (const zone of ZONES) nextFireTimes(parseSchedule('*/7 1-3 * * *'), zone, new Date('2026-01-01T00:00:00Z'), 3);
  const strings = seeded(20260308);
  for (let n = 0; n < 5_000; n++) exercise(randomString(strings), strings);
  const expressions = seeded(20261101);
  for (let n = 0; n < 5_000; n++) exercise(randomExpression(expressions), expressions);
  return { fuzzCalls: count, fuzzSlowestMs: slowest.ms, fuzzSlowest: slowest.what };
}
