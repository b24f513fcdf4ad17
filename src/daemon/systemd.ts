/** `flow daemon --print-systemd-unit`: a unit that runs the daemon as a service, for the system or for one user. */
export interface UnitOptions {
  user: boolean;
  /** The command that starts flow: the single executable, or node and the CLI script (absolute). */
  execStart: string[];
  flowHome: string;
  pipelinesDir: string;
  runAs: string | undefined;
  /** What the unit runs: the daemon (default), or another long-running command such as `worker --pool gpu`. */
  service?: { description: string; args: string[] } | undefined;
}

/** systemd.syntax(7): a word with spaces or quotes is double-quoted, with backslashes and quotes escaped. */
function quote(word: string): string {
  return /[\s"'\\]/.test(word) ? `"${word.replace(/[\\"]/g, '\\$&')}"` : word;
}

export function systemdUnit(options: UnitOptions): string {
  const lines = [
    '[Unit]',
    `Description=${options.service?.description ?? 'flow: pipelines on cron schedules'}`,
    ...(options.user ? [] : ['After=network-online.target', 'Wants=network-online.target']),
    '',
    '[Service]',
    'Type=exec',
    `ExecStart=${[...options.execStart, ...(options.service?.args ?? ['daemon', '--dir', options.pipelinesDir])].map(quote).join(' ')}`,
    ...(options.service === undefined ? ['ExecReload=/bin/kill -HUP $MAINPID'] : []),
    `Environment=${quote(`FLOW_HOME=${options.flowHome}`)}`,
    ...(options.user || options.runAs === undefined ? [] : [`User=${options.runAs}`]),
    // The daemon stops its own tasks gracefully on SIGTERM (up to --grace, then their process groups); mixed lets it
    // do so, and systemd sends SIGKILL to whatever remains only after TimeoutStopSec.
    'KillMode=mixed',
    // The service's cgroup is flow's to divide: each attempt gets its own, so a task that calls setsid and clears its
    // environment is still ended (engine/cgroup.ts).
    'Delegate=yes',
    'Environment=FLOW_CGROUP=auto',
    'TimeoutStopSec=90',
    'Restart=on-failure',
    'RestartSec=5',
    '',
    '[Install]',
    `WantedBy=${options.user ? 'default.target' : 'multi-user.target'}`,
    '',
  ];
  return lines.join('\n');
}
