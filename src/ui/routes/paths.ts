/** The addresses of the Pipeline, Run and Log views, built in one place so links and routes agree. */

export function pipelineHref(name: string): string {
  return `/pipelines/${encodeURIComponent(name)}`;
}

export function runHref(id: string): string {
  return `/runs/${encodeURIComponent(id)}`;
}

/** A task's row on its run's page. */
export function taskHref(run: string, task: string): string {
  return `${runHref(run)}#task-${encodeURIComponent(task)}`;
}

export function logHref(run: string, task: string, attempt: number): string {
  return `${runHref(run)}/tasks/${encodeURIComponent(task)}/${attempt}`;
}

/** The id of a task's row, as `taskHref` links to it. */
export function taskAnchor(task: string): string {
  return `task-${encodeURIComponent(task)}`;
}
