/** `flow run --dry-run`: which tasks can run together, in what order, without running anything. */
import type { ChalkInstance } from 'chalk';
import type { Plan } from '../../engine/plan.js';

export function planLines(plan: Plan, color: ChalkInstance): string[] {
  const lines = [`${color.bold(plan.pipeline)}: ${plan.tasks.length} tasks, at most ${plan.concurrency} at once`];
  const byId = new Map(plan.tasks.map((task) => [task.id, task]));
  plan.stages.forEach((stage, index) => {
    lines.push(`  stage ${index + 1}: ${stage.join(', ')}`);
    for (const id of stage) {
      const task = byId.get(id);
      if (task === undefined) continue;
      const after = task.depends_on.length > 0 ? color.dim(` after ${task.depends_on.join(', ')}`) : '';
      const rule = task.trigger_rule === 'all_success' ? '' : color.dim(` [${task.trigger_rule}]`);
      const what = task.kind === 'shell' ? `$ ${task.command ?? ''}` : task.kind === 'function' ? '(function)' : '(join)';
      lines.push(`    ${id}${after}${rule}: ${color.dim(what.split('\n')[0] ?? '')}`);
    }
  });
  return lines;
}
