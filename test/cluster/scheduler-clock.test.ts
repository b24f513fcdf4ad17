/** A scheduler whose clock is off Redis's TIME by more than a second says so in its daemon.log. */
import { describe, expect, test } from 'vitest';
import { fixture } from '../helpers/flow.js';
import { daemonLog, startDaemon, stopDaemon } from '../helpers/daemon.js';
import { fakeClock } from '../helpers/faketime.js';
import { startRedis } from '../helpers/redis.js';

describe('a scheduler clock off Redis', () => {
  test('warns in daemon.log when it is more than 1 s off, and once more when it agrees again', async () => {
    const redis = await startRedis();
    const f = fixture({ 'pipelines/daily.flow.yaml': 'schedule: "@daily"\ntasks:\n  a:\n    run: "true"\n' });
    const clock = fakeClock(f.path('clock'), '+5');
    const daemon = startDaemon(f, [], { env: { ...clock.env, FLOW_REDIS_URL: redis.url, FLOW_CLUSTER_LEASE_MS: '1500', FLOW_CLUSTER_SKEW_CHECK_MS: '500' } });
    await daemon.waitFor('the warning about the clock', (out) => /clock is \d+\.\ds ahead of Redis's/.test(out.stdout));
    clock.set('+0');
    await daemon.waitFor('the line saying the clocks agree again', (out) => out.stdout.includes("clock agrees with Redis's again"));
    expect(await stopDaemon(daemon)).toBe(0);
    expect(daemonLog(f)).toMatch(/warning: this host's clock is \d+\.\ds ahead of Redis's \(TIME\)/);
  });
});
