/**
 * What travels through Redis between a scheduler and its workers, with a protocol version. A worker refuses a job
 * whose protocol it does not speak, naming both flow versions, instead of guessing at fields it does not know.
 * Bump PROTOCOL when a field changes meaning or a required one is added; optional additions keep it.
 */
import { z } from 'zod';
import { FlowError } from '../errors.js';
import type { AttemptOutcome } from '../engine/events.js';

declare const FLOW_VERSION: string;

export const PROTOCOL = 1;
/** This flow's version (`dev` in unit tests, which run the sources without the build's define). */
export const FLOW_RELEASE = typeof FLOW_VERSION === 'string' ? FLOW_VERSION : 'dev';

const env = z.record(z.string(), z.string());

/** What a worker needs to run a shell task's attempt exactly as the scheduler's host would (src/engine/attempt.ts). */
const taskShape = z.object({
  id: z.string(),
  command: z.string().optional(),
  argv: z.array(z.string()).optional(),
  shell: z.string(),
  cwd: z.string(),
  env,
  stdin: z.string().optional(),
  timeoutMs: z.number().optional(),
  killGraceMs: z.number(),
  skipExitCode: z.number().optional(),
  when: z.string().optional(),
  shortCircuit: z.boolean().optional(),
  branch: z.boolean().optional(),
});

export const taskJobShape = z.object({
  protocol: z.number(),
  flow: z.string(),
  pool: z.string(),
  pipeline: z.object({ name: z.string(), env, inheritEnv: z.boolean(), secrets: z.array(z.string()) }),
  task: taskShape,
  run: z.object({
    runId: z.string(),
    trigger: z.string(),
    logicalDate: z.string(),
    ds: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }),
  attempt: z.number().int().min(1),
  inputs: env.optional(),
  downstream: z.array(z.string()).optional(),
});

export type TaskJob = z.infer<typeof taskJobShape>;
export type JobTask = z.infer<typeof taskShape>;

/** An attempt's outcome as JSON: dates as ISO text. */
export const outcomeShape = z.object({
  exitCode: z.number().optional(),
  signal: z.string().optional(),
  timedOut: z.boolean(),
  cancelled: z.boolean(),
  error: z.string().optional(),
  shell: z.enum(['not-found', 'not-executable']).optional(),
  skip: z.string().optional(),
  shortCircuit: z.string().optional(),
  branch: z.array(z.string()).optional(),
  outputs: env.optional(),
  timedOutAt: z.string().optional(),
  killGraceMs: z.number().optional(),
  interrupted: z.string().optional(),
});

/** One entry of an attempt's stream: output (`out`), the worker taking it (`start`), or how it ended (`end`). */
export type StreamEntry = { out: string } | { start: string } | { end: string };

export function outcomeToJson(outcome: AttemptOutcome): z.infer<typeof outcomeShape> {
  const { timedOutAt, ...rest } = outcome;
  const plain = JSON.parse(JSON.stringify(rest)) as z.infer<typeof outcomeShape>;
  return timedOutAt === undefined ? plain : { ...plain, timedOutAt: timedOutAt.toISOString() };
}

export function outcomeFromJson(value: unknown): AttemptOutcome {
  const parsed = outcomeShape.parse(value);
  const { timedOutAt, ...rest } = parsed;
  const outcome: AttemptOutcome = { ...rest, exitCode: rest.exitCode, signal: rest.signal, error: rest.error };
  if (timedOutAt !== undefined) outcome.timedOutAt = new Date(timedOutAt);
  return outcome;
}

/**
 * The job as this worker can run it, or a FlowError naming both versions: a job from another protocol is never
 * half-read. The protocol is checked before the shape, so a newer job with new fields is named as newer.
 */
export function readTaskJob(data: unknown, jobId: string): TaskJob {
  const head = data as { protocol?: unknown; flow?: unknown } | null;
  const protocol = typeof head?.protocol === 'number' ? head.protocol : undefined;
  const flow = typeof head?.flow === 'string' ? head.flow : 'an unknown version';
  if (protocol !== PROTOCOL) {
    throw new FlowError('E_PROTOCOL', `job ${jobId} comes from flow ${flow} (cluster protocol ${protocol ?? 'none'}); this worker runs flow ${FLOW_RELEASE} (cluster protocol ${PROTOCOL}): run the same flow version on schedulers and workers`);
  }
  const parsed = taskJobShape.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new FlowError('E_PROTOCOL', `job ${jobId} from flow ${flow} is malformed: ${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
