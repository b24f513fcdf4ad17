/** The run record as `flow run --json` prints it, as far as the semantics tests read it. */
export interface RunJson {
  status: string;
  ended_at: string | null;
  note?: string;
  tasks: {
    id: string;
    status: string;
    reason: string | null;
    outputs?: Record<string, string>;
    branch?: string[];
    attempts: { started_at: string; ended_at: string | null; exit_code: number | null; timed_out: boolean; kill_grace_ms?: number; error: string | null; log: string }[];
  }[];
}

export function states(run: RunJson): Record<string, string> {
  return Object.fromEntries(run.tasks.map((task) => [task.id, task.status]));
}

export function taskOf(run: RunJson, id: string): RunJson['tasks'][number] {
  const found = run.tasks.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no task ${id}`);
  return found;
}
