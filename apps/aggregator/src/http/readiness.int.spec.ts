import { startTestAggregator, testConfig, waitFor } from '../test-support/aggregator-harness';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database';
import { createTestStream, type TestStream } from '../test-support/test-stream';

describe('aggregator /readyz', () => {
  let t: TestDatabase;
  let s: TestStream;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    s = await createTestStream();
  });
  afterAll(async () => {
    await s?.drop();
    await t?.drop();
  });

  it('answers the shared readiness shape: status and one check per dependency', async () => {
    const a = await startTestAggregator(testConfig(t, s));
    try {
      const url = `http://127.0.0.1:${a.port}/readyz`;
      // Ready (200) already on standby; leadership is taken in the background just after.
      await waitFor('the aggregator ready and leading', async () => {
        const res = await fetch(url);
        return res.status === 200 && (await res.json()).checks.projection.role === 'leader';
      }, 30_000);
      expect(await (await fetch(url)).json()).toEqual({ status: 'ok', checks: { nats: { ok: true }, projection: { ok: true, role: 'leader' } } });
      await a.runtime.nc!.close();
      const down = await fetch(url);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable', checks: { nats: { ok: false, error: 'connection closed' } } });
    } finally {
      await a.close();
    }
  });
});
