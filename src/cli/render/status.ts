/** Status words in colour, the same everywhere. */
import type { ChalkInstance } from 'chalk';

export function paintStatus(status: string, color: ChalkInstance): string {
  switch (status) {
    case 'success':
      return color.green(status);
    case 'failed':
    case 'interrupted':
      return color.red(status);
    case 'running':
      return color.cyan(status);
    case 'upstream_failed':
    case 'cancelled':
    case 'skipped':
      return color.yellow(status);
    default:
      return color.dim(status);
  }
}
