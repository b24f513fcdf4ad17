import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { checkRedis, compareVersions, openRedis, settingWarnings } from '../../../src/cluster/connection.js';
import { attemptJobId, clusterKeys } from '../../../src/cluster/keys.js';
import { FLOW_RELEASE, PROTOCOL, readTaskJob } from '../../../src/cluster/protocol.js';
import { clusterSettings, displayUrl, type ClusterSettings } from '../../../src/cluster/settings.js';
import { loadGlobalConfig } from '../../../src/config/global.js';
import { FlowError, ValidationError } from '../../../src/errors.js';
import { freePort, startRedis } from '../../helpers/redis.js';

const dir = mkdtempSync(join(tmpdir(), 'flow-cluster-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function settings(url: string): ClusterSettings {
  return { url, prefix: 'flow', lockMs: 30_000, heartbeatMs: 5_000 };
}

async function refusalOf(promise: Promise<unknown>): Promise<FlowError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(FlowError);
  return error as FlowError;
}

describe('config', () => {
  test('cluster: in the config file, FLOW_REDIS_URL over its URL, nothing without either', async () => {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'cluster:\n  redis: redis://db.example:6379\n  prefix: team-a\n');
    const config = await loadGlobalConfig({ FLOW_CONFIG: file });
    expect(config.cluster).toMatchObject({ url: 'redis://db.example:6379', prefix: 'team-a' });
    expect((await loadGlobalConfig({ FLOW_CONFIG: file, FLOW_REDIS_URL: 'redis://other:1' })).cluster).toMatchObject({ url: 'redis://other:1', prefix: 'team-a' });
    expect((await loadGlobalConfig({ HOME: dir, XDG_CONFIG_HOME: dir })).cluster).toBeUndefined();
    expect((await loadGlobalConfig({ HOME: dir, XDG_CONFIG_HOME: dir, FLOW_REDIS_URL: 'redis://h:2' })).cluster).toMatchObject({ prefix: 'flow' });
  });

  test('bad values are problems at file:line:col, all at once', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'cluster:\n  redis: http://db:6379\n  prefix: "a:b"\n  host: x\n');
    const error = (await loadGlobalConfig({ FLOW_CONFIG: file }).catch((caught: unknown) => caught)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    const text = error.problems.map((p) => `${p.line}:${p.col}: ${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/^2:10: cluster\.redis: expected redis:\/\/ or rediss:\/\//m);
    expect(text).toMatch(/^3:11: cluster\.prefix: expected letters/m);
    expect(text).toMatch(/cluster.*host/);
  });

  test('a bad FLOW_REDIS_URL is one line naming it', () => {
    expect(() => clusterSettings(undefined, { FLOW_REDIS_URL: 'localhost:6379' })).toThrow(/^FLOW_REDIS_URL: expected redis:\/\//);
  });

  test('test timings come from the environment', () => {
    expect(clusterSettings(undefined, { FLOW_REDIS_URL: 'redis://h', FLOW_CLUSTER_LOCK_MS: '2000', FLOW_CLUSTER_HEARTBEAT_MS: '300' })).toMatchObject({ lockMs: 2000, heartbeatMs: 300 });
  });

  test('a password is never shown', () => {
    expect(displayUrl('redis://:hunter2@db:6379/0')).toBe('redis://:***@db:6379/0');
  });
});

describe('keys and protocol', () => {
  test('job ids are derived from run, task and attempt, without ":"', () => {
    expect(attemptJobId('etl', '20261122T184301.123Z-k3x9q2', 'load', 2)).toBe('etl/20261122T184301.123Z-k3x9q2/load/2');
    expect(clusterKeys('flow').attemptStream('etl/r/load/2')).toBe('flow:flow:attempt:etl/r/load/2:out');
  });

  test('a job of another protocol is refused naming both versions', () => {
    expect(() => readTaskJob({ protocol: PROTOCOL + 1, flow: '9.9.9' }, 'p/r/t/1')).toThrow(
      `job p/r/t/1 comes from flow 9.9.9 (cluster protocol ${PROTOCOL + 1}); this worker runs flow ${FLOW_RELEASE} (cluster protocol ${PROTOCOL})`,
    );
    expect(() => readTaskJob({ protocol: PROTOCOL, flow: FLOW_RELEASE, task: {} }, 'x')).toThrow(/malformed/);
  });

  test('versions and settings', () => {
    expect(compareVersions('7.0.15', '6.2.0')).toBe(1);
    expect(compareVersions('6.0.9', '6.2.0')).toBe(-1);
    expect(compareVersions('6.2', '6.2.0')).toBe(0);
    expect(settingWarnings('maxmemory_policy:allkeys-lru\r\n', 'aof_enabled:1\r\n')).toEqual([expect.stringMatching(/noeviction/)]);
    expect(settingWarnings('maxmemory_policy:noeviction\r\n', 'aof_enabled:0\r\n')).toEqual([expect.stringMatching(/appendonly yes/)]);
  });
});

describe('a real redis-server', () => {
  test('the start-time check: a server that answers, one that does not, a wrong password', async () => {
    const redis = await startRedis({ password: 's3cret' });
    const facts = await checkRedis(settings(redis.url));
    expect(facts.warnings).toEqual([]);
    const wrong = await refusalOf(checkRedis(settings(`redis://:nope@127.0.0.1:${redis.port}`)));
    expect(wrong.message).toBe(`cannot use Redis at redis://:***@127.0.0.1:${redis.port}: WRONGPASS invalid username-password pair or user is disabled.`);
    const none = await refusalOf(checkRedis(settings(`redis://127.0.0.1:${redis.port}`)));
    expect(none.message).toMatch(/^cannot use Redis at redis:\/\/127\.0\.0\.1:\d+: NOAUTH/);
    const port = await freePort();
    const down = await refusalOf(checkRedis(settings(`redis://127.0.0.1:${port}`)));
    expect(down.message).toBe(`cannot use Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  test('a server too old is refused naming its version', async () => {
    // A stand-in that answers INFO as Redis 5.0 does: no such old redis-server is installed here.
    const server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        // One answer per command, in order: INFO gets its text, anything else (CLIENT SETINFO…) +OK.
        for (const [, name] of chunk.toString('latin1').matchAll(/\*\d+\r\n\$\d+\r\n(\w+)/g)) {
          const body = '# Server\r\nredis_version:5.0.14\r\n';
          socket.write(name?.toLowerCase() === 'info' ? `$${Buffer.byteLength(body)}\r\n${body}\r\n` : '+OK\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const old = await refusalOf(checkRedis(settings(`redis://127.0.0.1:${port}`)));
      expect(old.message).toBe(`cannot use Redis at redis://127.0.0.1:${port}: Redis 5.0.14 is too old; flow needs 6.2.0 or newer`);
    } finally {
      server.close();
    }
  });

  test('a long-lived client reconnects after a stop and start, keeps the data, and logs the loss once', async () => {
    const redis = await startRedis();
    const lines: string[] = [];
    const client = await openRedis(settings(redis.url), 'test', (line) => lines.push(line));
    try {
      await client.set('k', 'v');
      await redis.stop();
      const answered = client.get('k');
      await redis.start();
      expect(await answered).toBe('v');
      expect(lines).toEqual([expect.stringMatching(/^redis: lost redis:\/\/127\.0\.0\.1:\d+ \(.*\); reconnecting until it answers$/), expect.stringMatching(/^redis: connected again/)]);
    } finally {
      client.disconnect();
    }
  });
});
