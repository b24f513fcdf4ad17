import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpStatusOf } from '../../../src/api/status.js';
import { FlowError } from '../../../src/errors.js';
import type { HistoryStore } from '../../../src/store/history.js';
import { openRunReader } from '../../../src/ui/data/open-run-reader.js';

/** A loopback port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the web UI in cluster mode with Redis away', () => {
  it('reads fail as one sentence naming the URL, a 503, never an internal error', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const reader = await openRunReader({ url, prefix: 'flow', lockMs: 30_000, heartbeatMs: 5_000 }, {} as HistoryStore);
    try {
      const error = await reader.find('20261201').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(FlowError);
      expect((error as FlowError).code).toBe('E_REDIS');
      expect((error as FlowError).message).toContain(`cannot use Redis at ${url}`);
      expect(httpStatusOf(error as FlowError)).toBe(503);
      await expect(reader.page('etl', { limit: 5 })).rejects.toMatchObject({ code: 'E_REDIS' });
    } finally {
      reader.close();
    }
  });
});
