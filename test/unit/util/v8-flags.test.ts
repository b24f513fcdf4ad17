/** The V8 flags of the commands that start tasks reach node by every road: the npm launcher, the binary, systemd. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DAEMON_V8_FLAGS, RUNNER_V8_FLAGS, selfCommand } from '../../../src/util/package.js';
import { systemdUnit } from '../../../src/daemon/systemd.js';
import { fixture, ROOT } from '../../helpers/flow.js';

test('bin/flow.js, the SEA config and the systemd units give the same flags', () => {
  const launcher = readFileSync(join(ROOT, 'bin', 'flow.js'), 'utf8').split('\n')[1] ?? '';
  const sea = readFileSync(join(ROOT, 'scripts', 'build-binary.mjs'), 'utf8');
  const script = ['node', '/opt/flow/bin/flow.js'];
  const worker = systemdUnit({ user: true, execStart: selfCommand(RUNNER_V8_FLAGS, script), flowHome: '/h', pipelinesDir: '/p', runAs: undefined, service: { description: 'w', args: ['worker'] } });
  const daemon = systemdUnit({ user: true, execStart: selfCommand(DAEMON_V8_FLAGS, script), flowHome: '/h', pipelinesDir: '/p', runAs: undefined });
  for (const flag of RUNNER_V8_FLAGS) {
    expect(launcher).toContain(`run|retry|backfill|worker) set -- ${flag} "$0"`);
    expect(sea).toContain(`execArgv: ['${flag}']`);
    expect(worker).toContain(`ExecStart=${process.execPath} ${flag} /opt/flow/bin/flow.js worker`);
  }
  // The daemon's own: its tasks start from its spawners.
  for (const flag of DAEMON_V8_FLAGS) {
    expect(launcher).toContain(`daemon) set -- ${flag} "$0"`);
    expect(daemon).toContain(`ExecStart=${process.execPath} ${flag} /opt/flow/bin/flow.js daemon`);
  }
});

test('`flow run` started by the launcher runs node with them, and keeps the NODE_OPTIONS of its tasks', () => {
  const f = fixture();
  const said = execFileSync(join(ROOT, 'bin', 'flow.js'), ['run', '--name', 'flags', '--', 'sh', '-c', 'tr "\\0" " " < /proc/$PPID/cmdline; echo "[$NODE_OPTIONS]"'], {
    cwd: f.dir,
    env: { ...f.env, NODE_OPTIONS: '--no-warnings' },
    encoding: 'utf8',
  });
  expect(said).toContain(`${RUNNER_V8_FLAGS.join(' ')} ${join(ROOT, 'bin', 'flow.js')} run --name flags`);
  expect(said).toContain('[--no-warnings]');
});
