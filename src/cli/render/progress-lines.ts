/** Off a TTY: one plain line as each task starts and ends, with the wall-clock time, for logs and cron mail. */
import type { ChalkInstance } from 'chalk';
import type { FlowEvent } from '../../engine/events.js';
import { formatDuration } from '../../util/duration.js';
import { localTime } from '../../util/time.js';
import { describeSlaMiss } from '../../runs/sla.js';

export function progressLine(event: FlowEvent, color: ChalkInstance): string | undefined {
  const time = color.dim(clock(event.at));
  switch (event.kind) {
    case 'run-started': {
      const run = event.run;
      return `${time} run ${run.runId} of ${run.pipeline}: ${run.plan.tasks.length} tasks, ${run.trigger}, logical date ${run.logicalDate}`;
    }
    case 'task-started':
      return `${time} ${color.cyan('start')}  ${event.task}${event.attempt > 1 ? color.dim(` (attempt ${event.attempt})`) : ''}`;
    case 'attempt-finished': {
      if (event.reason === undefined || event.retryInMs === undefined) return undefined;
      return `${time} ${color.yellow('retry')}  ${event.task}: ${event.reason}; attempt ${event.attempt + 1} in ${formatDuration(event.retryInMs)}`;
    }
    case 'task-finished': {
      if (event.status === 'success') return `${time} ${color.green('ok')}     ${event.task}`;
      if (event.status === 'failed') return `${time} ${color.red('failed')} ${event.task}: ${event.reason ?? ''}`;
      return `${time} ${color.yellow(event.status)} ${event.task}${event.reason ? `: ${event.reason}` : ''}`;
    }
    case 'sla-missed':
      return `${time} ${color.red('sla')}    ${describeSlaMiss(event.miss)}`;
    case 'run-finished':
      return undefined;
  }
}

function clock(at: Date): string {
  const t = localTime(at);
  return [t.hour, t.minute, t.second].map((part) => String(part).padStart(2, '0')).join(':');
}
