/**
 * Deadlines (`sla: { start_within, finish_within }`, for the run and for tasks), measured from the scheduled
 * instant of a scheduled or caught-up run: a dead-man's switch that speaks at the deadline, not when the run ends.
 * A watch is an event sink: it arms one timer per deadline when the run starts, and emits `sla-missed` when a
 * deadline passes with its run or task not yet started (start_within) or not yet finished (finish_within). A run
 * that starts after its start deadline (queued, or caught up after downtime) misses it at once.
 */
import type { FlowEvent, SlaMiss, TaskStatus, Trigger } from '../engine/events.js';
import type { Pipeline, Sla } from '../pipeline/types.js';
import { isoWithOffset } from '../util/time.js';

/** Runs that stand for a scheduled instant; a manual run, a backfill or a retry has no deadline to keep. */
export function hasDeadlines(pipeline: Pipeline, trigger: Trigger): boolean {
  if (trigger !== 'schedule' && trigger !== 'catchup') return false;
  return pipeline.sla !== undefined || pipeline.tasks.some((task) => task.sla !== undefined);
}

interface Deadline {
  task: string | null;
  deadline: SlaMiss['deadline'];
  due: number;
}

function deadlinesOf(pipeline: Pipeline, instant: number): Deadline[] {
  const list: Deadline[] = [];
  const add = (task: string | null, sla: Sla | undefined): void => {
    if (sla?.startWithinMs !== undefined) list.push({ task, deadline: 'start_within', due: instant + sla.startWithinMs });
    if (sla?.finishWithinMs !== undefined) list.push({ task, deadline: 'finish_within', due: instant + sla.finishWithinMs });
  };
  add(null, pipeline.sla);
  for (const task of pipeline.tasks) add(task.id, task.sla);
  return list;
}

export class SlaWatch {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly status = new Map<string, TaskStatus>();
  private finished = false;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly instant: Date,
    private readonly emit: (event: FlowEvent) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  readonly sink = (event: FlowEvent): void => {
    switch (event.kind) {
      case 'run-started':
        for (const task of event.run.plan.tasks) this.status.set(task.id, 'pending');
        this.arm(event.run.plan.tasks.map((task) => task.id));
        break;
      case 'task-started':
        this.status.set(event.task, 'running');
        break;
      case 'task-finished':
        this.status.set(event.task, event.status);
        break;
      case 'run-finished':
        this.stop();
        break;
      default:
        break;
    }
  };

  stop(): void {
    this.finished = true;
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
  }

  private arm(planned: readonly string[]): void {
    const inPlan = new Set(planned);
    for (const deadline of deadlinesOf(this.pipeline, this.instant.getTime())) {
      if (deadline.task !== null && !inPlan.has(deadline.task)) continue;
      // The run itself has started by now: its start deadline is judged at once.
      if (deadline.task === null && deadline.deadline === 'start_within') {
        if (this.now().getTime() > deadline.due) this.missed(deadline);
        continue;
      }
      const wait = Math.max(0, deadline.due - this.now().getTime());
      const timer = setTimeout(() => this.check(deadline), Math.min(wait, 2_147_483_647));
      timer.unref();
      this.timers.push(timer);
    }
  }

  private check(deadline: Deadline): void {
    if (this.finished) return;
    if (deadline.task === null) {
      this.missed(deadline);
      return;
    }
    const status = this.status.get(deadline.task) ?? 'pending';
    const late = deadline.deadline === 'start_within' ? status === 'pending' : status === 'pending' || status === 'running';
    if (late) this.missed(deadline);
  }

  private missed(deadline: Deadline): void {
    this.emit({
      kind: 'sla-missed',
      at: this.now(),
      miss: { deadline: deadline.deadline, task: deadline.task, due: isoWithOffset(new Date(deadline.due), this.pipeline.timezone), seen_at: isoWithOffset(this.now()) },
    });
  }
}

/** `run missed finish_within (due 2026-03-27T02:30:00+00:00)`, `task "load" missed start_within (...)` */
export function describeSlaMiss(miss: SlaMiss): string {
  return `${miss.task === null ? 'run' : `task "${miss.task}"`} missed ${miss.deadline} (due ${miss.due})`;
}
