/**
 * Importing crontabs: reading user and system crontabs exactly as cronie reads them, and turning each job into a
 * pipeline that runs as cron ran it (schedule and CRON_TZ, environment, `%` input, SHELL, HOME, MAILTO). The work
 * is in the files beside this one; this file gathers what the CLI calls.
 */
export type { Account, CrontabJob, CrontabKind, CrontabProblem, CrontabSource, ParsedCrontab } from './types.js';
export { parseCrontab, type ParseOptions } from './parse.js';
export { cronEnvironment, CRON_PATH, CRON_SHELL } from './cron-env.js';
export { findMailer, type Mailer } from './mail.js';
export { nameForCommand } from './naming.js';
export { planImport, type ImportPlan, type PlannedPipeline } from './plan.js';
export { prepareImport, readCrontabs, USER_CRONTAB, type ReadResult } from './read.js';
export { writePipelines, type WriteResult } from './write.js';
export { replaceUserCrontab, undoReplace, type ReplaceResult, type UndoResult } from './migrate.js';
export { SYSTEM_LOCATIONS, type SystemLocations } from './system-files.js';
export { MARKER } from './comment-out.js';
