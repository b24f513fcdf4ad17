/** `--verbose`: each running task's output as it is written, every line prefixed with the task's id. */
import type { ChalkInstance } from 'chalk';
import type { FlowEvent } from '../../engine/events.js';
import { FileFollower } from '../../store/follow.js';

const POLL_MS = 100;

export class TaskOutput {
  private readonly followers = new Map<string, FileFollower>();
  private readonly timer: NodeJS.Timeout;
  private readonly width: number;

  constructor(
    private readonly print: (lines: string[]) => void,
    private readonly color: ChalkInstance,
    taskIds: string[],
  ) {
    this.width = Math.min(24, Math.max(...taskIds.map((id) => id.length), 1));
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
  }

  handle(event: FlowEvent): void {
    if (event.kind === 'task-started' && event.log !== '') {
      const prefix = this.color.dim(`${event.task.padEnd(this.width)} | `);
      this.followers.set(event.task, new FileFollower(event.log, (lines) => this.print(lines.map((line) => prefix + line))));
    }
    if (event.kind === 'attempt-finished') {
      this.followers.get(event.task)?.close();
      this.followers.delete(event.task);
    }
    if (event.kind === 'run-finished') this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const follower of this.followers.values()) follower.close();
    this.followers.clear();
  }

  private poll(): void {
    for (const follower of this.followers.values()) follower.poll();
  }
}
