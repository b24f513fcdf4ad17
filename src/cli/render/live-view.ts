/**
 * On a TTY: a live block of task rows (waiting, running with elapsed time, retrying, done, failed), redrawn in place
 * at most ten times a second. Lines printed above it (verbose output) scroll past without tearing it.
 */
import type { ChalkInstance } from 'chalk';
import type { FlowEvent, TaskStatus } from '../../engine/events.js';
import { formatDuration } from '../../util/duration.js';

interface Row {
  id: string;
  status: TaskStatus | 'retrying';
  startedAt: number | undefined;
  endedAt: number | undefined;
  retryAt: number | undefined;
  attempt: number;
  note: string;
}

const ICONS: Record<Row['status'], string> = {
  pending: '·',
  running: '●',
  retrying: '↻',
  success: '✓',
  failed: '✗',
  upstream_failed: '⊘',
  skipped: '↷',
  cancelled: '■',
  interrupted: '■',
};

export class LiveView {
  private readonly rows = new Map<string, Row>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  private header = '';

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly color: ChalkInstance,
  ) {}

  handle(event: FlowEvent): void {
    const now = event.at.getTime();
    if (event.kind === 'run-started') {
      this.header = `${this.color.bold(event.run.pipeline)} ${this.color.dim(event.run.runId)}`;
      for (const task of event.run.plan.tasks) {
        this.rows.set(task.id, { id: task.id, status: 'pending', startedAt: undefined, endedAt: undefined, retryAt: undefined, attempt: 0, note: '' });
      }
      this.timer = setInterval(() => this.draw(), 100);
      this.timer.unref();
      return;
    }
    if (event.kind === 'run-finished') return this.stop();
    if (event.kind === 'hook-finished' || event.kind === 'sla-missed') return;
    const row = this.rows.get(event.task);
    if (row === undefined) return;
    if (event.kind === 'task-started') Object.assign(row, { status: 'running', startedAt: row.startedAt ?? now, attempt: event.attempt, retryAt: undefined });
    if (event.kind === 'attempt-finished' && event.retryInMs !== undefined) {
      Object.assign(row, { status: 'retrying', retryAt: now + event.retryInMs, note: event.reason ?? '' });
    }
    if (event.kind === 'task-finished') Object.assign(row, { status: event.status, endedAt: now, note: event.reason ?? '' });
  }

  /** Prints lines above the live block. */
  print(lines: string[]): void {
    this.clear();
    this.stream.write(lines.map((line) => `${line}\n`).join(''));
    this.draw();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
  }

  private clear(): void {
    if (this.drawn > 0) this.stream.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private draw(): void {
    const rows = [...this.rows.values()];
    const room = Math.max(3, (this.stream.rows || 24) - 4);
    const shown = rows.length <= room ? rows : rows.filter((row) => row.status === 'running' || row.status === 'retrying' || row.status === 'failed').slice(0, room);
    const width = Math.min(40, Math.max(...rows.map((row) => row.id.length), 4));
    const lines = [this.header, ...shown.map((row) => this.line(row, width))];
    if (shown.length < rows.length) lines.push(this.color.dim(this.counts(rows)));
    this.clear();
    this.stream.write(lines.map((line) => `\x1b[2K${line}\n`).join(''));
    this.drawn = lines.length;
  }

  private line(row: Row, width: number): string {
    const now = Date.now();
    const id = row.id.padEnd(width);
    const paint = { success: this.color.green, failed: this.color.red, running: this.color.cyan, retrying: this.color.yellow }[row.status as string] ?? this.color.dim;
    let detail = '';
    if (row.status === 'running' && row.startedAt !== undefined) detail = `running ${formatDuration(now - row.startedAt)}${row.attempt > 1 ? ` (attempt ${row.attempt})` : ''}`;
    else if (row.status === 'retrying' && row.retryAt !== undefined) detail = `${row.note}; retry in ${formatDuration(Math.max(0, row.retryAt - now))}`;
    else if (row.status === 'pending') detail = 'waiting';
    else if (row.status === 'success' && row.startedAt !== undefined && row.endedAt !== undefined) detail = formatDuration(row.endedAt - row.startedAt);
    else detail = `${row.status}${row.note ? `: ${row.note}` : ''}`;
    return `  ${paint(ICONS[row.status])} ${id}  ${paint(detail)}`;
  }

  private counts(rows: Row[]): string {
    const count = (status: Row['status']) => rows.filter((row) => row.status === status).length;
    return `  ${count('success')} done, ${count('running')} running, ${count('pending')} waiting, ${count('failed')} failed`;
  }
}
