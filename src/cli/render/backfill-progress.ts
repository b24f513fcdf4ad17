/**
 * A backfill as it goes. On a TTY: one line redrawn in place (dates done of total, failed, running, elapsed, an
 * estimate of what is left); lines printed meanwhile go above it. Off a TTY: one plain line per finished date.
 */
import type { ChalkInstance } from 'chalk';
import type { BackfillEvent, DateResult } from '../../backfill/types.js';
import { formatDuration } from '../../util/duration.js';
import { shortTime } from './history-table.js';
import { paintStatus } from './status.js';

export class BackfillProgress {
  private done = 0;
  private failed = 0;
  private running = 0;
  private busyMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly color: ChalkInstance,
    private readonly pipeline: string,
    private readonly total: number,
    private readonly parallel: number,
  ) {
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref();
    this.draw();
  }

  handle(event: BackfillEvent): void {
    if (event.kind === 'date-started') this.running += 1;
    else {
      this.running -= 1;
      this.done += 1;
      this.busyMs += event.result.duration_ms ?? 0;
      if (event.result.status !== 'success') this.failed += 1;
    }
    this.draw();
  }

  /** Writes lines above the progress line (to this stream, or to another one on the same terminal). */
  above(write: () => void): void {
    this.stream.write('\r\x1b[2K');
    write();
    this.draw();
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\x1b[2K');
  }

  private draw(): void {
    if (this.timer === undefined) return;
    const elapsed = Date.now() - this.started;
    // The dates left take as long as those done took on average, `parallel` at a time.
    const estimate = this.done === 0 ? undefined : ((this.busyMs / this.done) * (this.total - this.done)) / Math.min(this.parallel, Math.max(1, this.total - this.done));
    const left = estimate === undefined ? '' : `, ~${seconds(estimate)} left`;
    const failed = this.failed === 0 ? '' : this.color.red(`, ${this.failed} failed`);
    const line = `${this.color.bold(this.pipeline)} backfill: ${this.done}/${this.total} dates${failed}, ${this.running} running, ${seconds(elapsed, '0s')} elapsed${left}`;
    this.stream.write(`\r\x1b[2K${line}`);
  }
}

/** Whole seconds, so the line does not flicker with milliseconds. */
function seconds(ms: number, under = '<1s'): string {
  return ms < 1000 ? under : formatDuration(Math.round(ms / 1000) * 1000);
}

/** `2026-03-28 03:00:00+01:00  failed  1.2s  run 20260328T…  failed: load` */
export function finishedDateLine(result: DateResult, color: ChalkInstance): string {
  const status = result.status ?? 'cancelled';
  const parts = [
    shortTime(result.logical_date),
    paintStatus(status, color) + ' '.repeat(Math.max(0, 7 - status.length)),
    result.duration_ms === null ? '-' : formatDuration(result.duration_ms),
    result.run_id === null ? 'not started' : `run ${result.run_id}`,
  ];
  if (result.failed_tasks.length > 0) parts.push(color.red(`failed: ${result.failed_tasks.join(', ')}`));
  return parts.join('  ');
}
