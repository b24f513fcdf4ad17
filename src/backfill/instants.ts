/**
 * Which instants a backfill covers: every fire time of the pipeline's schedule from `--from` through `--to`, both
 * included, in the pipeline's zone and with cronie's daylight-saving rules (src/schedule).
 */
import { FlowError } from '../errors.js';
import { fireTimesBetween, parseSchedule, type Schedule } from '../schedule/index.js';
import type { Pipeline } from '../pipeline/types.js';
import { isoWithOffset } from '../util/time.js';

/**
 * More instants than this in one backfill is almost always a mistake (a seconds or minutes schedule over months):
 * refused, naming the last instant that fits so the range can be narrowed or split.
 */
export const MAX_INSTANTS = 10_000;

/** The schedule a backfill replays; a pipeline without one (or with @reboot only) has no dates to backfill. */
export function backfillSchedule(pipeline: Pipeline): Schedule {
  if (pipeline.schedule === undefined) {
    throw new FlowError('E_USAGE', `pipeline "${pipeline.name}" has no schedule, so it has no dates to backfill`, {
      hint: 'add `schedule:` to the pipeline, or run one date with `flow run --date`',
    });
  }
  const schedule = parseSchedule(pipeline.schedule);
  if (schedule.reboot) {
    throw new FlowError('E_USAGE', `pipeline "${pipeline.name}" runs @reboot, which has no dates to backfill`, {
      hint: 'run one date with `flow run --date`',
    });
  }
  return schedule;
}

export function backfillInstants(schedule: Schedule, zone: string, from: Date, to: Date, max = MAX_INSTANTS): Date[] {
  if (from.getTime() > to.getTime()) {
    throw new FlowError('E_USAGE', `--from ${isoWithOffset(from, zone)} is after --to ${isoWithOffset(to, zone)}`);
  }
  // Fire times fall on whole seconds and the range is (from, to]: one millisecond earlier takes `from` in.
  const times = fireTimesBetween(schedule, zone, new Date(from.getTime() - 1), to, max + 1);
  if (times.length > max) {
    const last = times[max - 1] as Date;
    throw new FlowError('E_USAGE', `"${schedule.expression}" fires more than ${max} times from ${isoWithOffset(from, zone)} to ${isoWithOffset(to, zone)}`, {
      hint: `backfill at most ${max} dates at once: split the range (the first ${max} end with --to ${isoWithOffset(last, zone)})`,
    });
  }
  return times;
}
