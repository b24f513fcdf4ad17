/**
 * The grid of a pipeline's runs × tasks: one column per run (oldest left), one row per task, each cell the task's
 * status in that run and a link to it. Cells carry their run and task as data, for the page script to recolour
 * from the event stream. Tasks are the pipeline's own in its order, then any only older runs had.
 */
import type { Child } from 'hono/jsx';
import type { RunRecord } from '../../store/record.js';
import { shorten } from '../graph/dag-svg.js';

export interface GridProps {
  /** Newest first, as loaded. */
  runs: readonly RunRecord[];
  tasks: readonly string[];
  runHref: (id: string) => string;
  taskHref: (run: string, task: string) => string;
  /** The run whose statuses the graph shows. */
  selected?: string | undefined;
}

export function gridTasks(tasks: readonly string[], runs: readonly RunRecord[]): string[] {
  const all = new Set(tasks);
  for (const run of runs) for (const task of run.tasks) all.add(task.id);
  return [...all];
}

export function Grid({ runs, tasks, runHref, taskHref, selected }: GridProps): Child {
  const columns = [...runs].reverse();
  const rows = gridTasks(tasks, columns);
  const statusOf = columns.map((run) => new Map(run.tasks.map((task) => [task.id, task.status])));
  return (
    <div class="grid-scroll">
      <table class="grid" data-grid="">
        <thead>
          <tr>
            <th scope="col">task</th>
            {columns.map((run) => (
              <th scope="col" class={run.id === selected ? 'selected' : undefined} data-run={run.id}>
                <a class={`cell s-${run.status}`} href={runHref(run.id)} title={`${run.id}: ${run.status}`} data-run-status="">
                  <span class="sr">{run.status}</span>
                </a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((task) => (
            <tr>
              <th scope="row" title={task}>
                {shorten(task, 28)}
              </th>
              {columns.map((run, index) => {
                const status = statusOf[index]?.get(task);
                if (status === undefined) return <td class="none" />;
                return (
                  <td>
                    <a class={`cell s-${status}`} href={taskHref(run.id, task)} title={`${task} in ${run.id}: ${status.replace('_', ' ')}`} data-run={run.id} data-task={task}>
                      <span class="sr">{status}</span>
                    </a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
