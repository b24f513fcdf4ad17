/**
 * The `log:<run-id>/<task>/<attempt>` topic of the tab's event stream: an attempt's output from a byte offset, as
 * `append` messages `{offset, next, html}` whose cursor is `next`, so a reconnect (the browser's Last-Event-ID)
 * resumes at exactly the next byte; then one `end` message once the attempt has ended and the rest is sent.
 * A fresh subscription without a cursor starts at the end of the file.
 */
import type { ApiDeps } from '../../api/deps.js';
import type { ApiEvent } from '../../api/event-hub.js';
import { FlowError } from '../../errors.js';
import type { AttemptRecord, RunRecord, TaskRecord } from '../../store/record.js';
import type { TopicSource } from '../topics.js';
import { LogFollower } from './log-follower.js';
import { stat } from 'node:fs/promises';

export const LOG_PREFIX = 'log:';
const RECORD_POLL_MS = 2000;

export function logTopic(run: string, task: string, attempt: number): string {
  return `${LOG_PREFIX}${run}/${task}/${attempt}`;
}

export interface FoundAttempt {
  run: RunRecord;
  task: TaskRecord;
  attempt: AttemptRecord;
}

/** The attempt a page or topic names, or a FlowError saying which part does not exist. */
export async function findAttempt(find: (ref: string) => Promise<RunRecord>, runRef: string, taskId: string, number: number, overlay: (run: RunRecord) => RunRecord = (run) => run): Promise<FoundAttempt> {
  const run = overlay(await find(runRef));
  const task = run.tasks.find((entry) => entry.id === taskId);
  if (task === undefined) throw new FlowError('E_TASK_NOT_FOUND', `run ${run.id} has no task "${taskId}"`);
  const attempt = task.attempts.find((entry) => entry.attempt === number);
  if (attempt === undefined) throw new FlowError('E_NOT_FOUND', `task "${taskId}" of run ${run.id} has no attempt ${number}`);
  return { run, task, attempt };
}

export function logSource(api: ApiDeps, find: (ref: string) => Promise<RunRecord>, overlay?: (run: RunRecord) => RunRecord): TopicSource {
  return {
    prefix: LOG_PREFIX,
    async open(topic, send, resume) {
      const match = /^log:([^/]+)\/(.+)\/(\d{1,9})$/.exec(topic);
      if (match === null) throw new FlowError('E_USAGE', `a log topic is log:<run-id>/<task>/<attempt>, not ${topic}`);
      const [, runRef, taskId, number] = match as unknown as [string, string, string, string];
      let finishing: Promise<void> | undefined;
      let follower: LogFollower | undefined;
      let runId = runRef;
      const finish = (): void => {
        if (follower === undefined || finishing !== undefined) return;
        const ending = follower;
        finishing = ending.end().then(
          () => send({ event: 'end', data: { next: ending.offset } }, String(ending.offset)),
          () => undefined,
        );
      };
      let ended = false;
      let heard = false;
      // Subscribed before the record is read: an attempt that ends in between is still seen to end.
      const unsubscribe = api.subscribe((event: ApiEvent) => {
        if (event.run_id !== runId) return;
        heard = true;
        const mine = event.kind === 'run-finished' || (event.kind === 'attempt-finished' && event.task === taskId && event.attempt === Number(number));
        if (!mine) return;
        ended = true;
        finish();
      });
      try {
        const found = await findAttempt(find, runRef, taskId, Number(number), overlay);
        runId = found.run.id;
        const from = resumeOffset(resume) ?? (await sizeOf(found.attempt.log));
        follower = new LogFollower(found.attempt.log, from, (piece) => send({ event: 'append', data: piece }, String(piece.next)));
        follower.start();
        if (ended || found.attempt.ended_at !== null || found.run.status !== 'running') finish();
      } catch (error) {
        unsubscribe();
        throw error;
      }
      // A run no event source reports (a `flow run` in a terminal, a run of another daemon): its record says when
      // the attempt ended, read again while nothing is heard of the run.
      const poll = setInterval(() => {
        if (heard || finishing !== undefined) return;
        findAttempt(find, runId, taskId, Number(number), overlay).then(
          (found) => (found.attempt.ended_at !== null || found.run.status !== 'running' ? finish() : undefined),
          () => undefined,
        );
      }, RECORD_POLL_MS);
      poll.unref();
      return () => {
        clearInterval(poll);
        unsubscribe();
        follower?.stop();
      };
    },
  };
}

function resumeOffset(resume: string | undefined): number | undefined {
  if (resume === undefined || !/^\d{1,15}$/.test(resume)) return undefined;
  return Number(resume);
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
