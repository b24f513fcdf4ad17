/** Running a pipeline's tasks as another user (`user:`): who, and how the process takes that identity. */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
  home: string;
  /**
   * setpriv(1), when the system has it: it sets the user's supplementary groups too (initgroups, as cron does),
   * which a plain uid/gid switch from Node drops.
   */
  setpriv: string | undefined;
}

/** The program and arguments that start `file args` as `runAs`. */
export function asUser(runAs: RunAs | undefined, file: string, args: readonly string[]): { file: string; args: string[]; uid?: number; gid?: number } {
  if (runAs === undefined) return { file, args: [...args] };
  if (runAs.setpriv !== undefined) {
    return { file: runAs.setpriv, args: [`--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--init-groups', '--', file, ...args] };
  }
  return { file, args: [...args], uid: runAs.uid, gid: runAs.gid };
}
