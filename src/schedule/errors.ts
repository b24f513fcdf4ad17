/**
 * The one error the schedule module throws for what a person wrote. Its message names the field and the value, in
 * the shape `minute: 61 is out of range 0-59`, so pipeline validation can show it as it is; the CLI adds which
 * schedule it was about.
 */
import { FlowError } from '../errors.js';

export type FieldName = 'second' | 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

export class ScheduleError extends FlowError {
  /** The field at fault (or `timezone`), or undefined when the expression as a whole is (field count, preset). */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super('E_VALIDATION', field === undefined ? message : `${field}: ${message}`);
    this.name = 'ScheduleError';
    this.field = field;
  }
}
