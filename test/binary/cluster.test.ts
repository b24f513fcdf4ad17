/**
 * Cluster mode from the single executable (BullMQ and ioredis are in its bundle): a worker and `flow run` of the
 * executable against a real redis-server, and the worker's systemd unit naming the executable itself.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BINARY_X64, requireBinary, run } from '../helpers/binary.js';
import { clusterEnv } from '../helpers/cluster.js';
import { Running, fixture } from '../helpers/flow.js';
import { startRedis } from '../helpers/redis.js';

interface RunRecord {
  tasks: { id: string; status: string; attempts: { log: string }[] }[];
}

describe('the single executable in cluster mode', () => {
  test('its worker runs tasks that its flow run puts on Redis; --print-systemd-unit names it', async () => {
    const binary = requireBinary(BINARY_X64);
    const redis = await startRedis();
    const f = fixture({ 'pipelines/remote.flow.yaml': 'tasks:\n  a: { run: echo from a worker }\n  b: { run: echo b, depends_on: [a] }\n' });
    const env = { ...f.env, ...clusterEnv(redis) };
    const worker = new Running(spawn(binary, ['worker', '--pool', 'default'], { cwd: f.dir, env: { ...env, FLOW_HOME: f.path('worker-home') } }));
    try {
      await worker.waitFor('the worker to take tasks', (out) => /takes tasks of pool default/.test(out.stdout));
      const result = await run(binary, ['run', 'remote', '--json'], { cwd: f.dir, env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const record = JSON.parse(result.stdout) as RunRecord;
      expect(record.tasks.map((task) => task.status)).toEqual(['success', 'success']);
      expect(readFileSync(record.tasks[0]?.attempts[0]?.log ?? '', 'utf8')).toBe('from a worker\n');
      expect(worker.stdout).toMatch(/took remote \S+ b attempt 1/);
    } finally {
      worker.signal('SIGTERM');
      await worker.exited;
    }
    const unit = await run(binary, ['worker', '--pool', 'gpu', '--print-systemd-unit'], { cwd: f.dir, env: f.env });
    expect(unit.stdout).toContain(`ExecStart=${binary} worker --pool gpu\n`);
    expect(unit.stdout).toContain('Description=flow worker: tasks of pool gpu\n');
  });
});
