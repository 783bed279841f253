import { ConfigError } from '../config/config.error';
import { connectNats, natsServers, type NatsConnectOptions } from './nats-connect';
import { drainOrClose } from './drain-or-close';
import { NatsUnavailableError } from './nats-unavailable.error';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

function options(over: Partial<NatsConnectOptions>): NatsConnectOptions {
  return { servers: natsServers(url), name: 'ccpulse-test', credentials: {}, retry: { kind: 'once' }, firstFailure: 'raw', ...over };
}

describe('connectNats', () => {
  it('splits NATS_URL into servers', () => {
    expect(natsServers('nats://a:4222, nats://b:4222')).toEqual(['nats://a:4222', 'nats://b:4222']);
  });

  it('connects with the retry policy the caller states', async () => {
    const nc = await connectNats(options({ retry: { kind: 'forever', waitMs: 500, waitOnFirstConnect: false } }));
    expect(nc.isClosed()).toBe(false);
    await nc.close();
  });

  it('names NATS_CREDS when a creds file read at connect is unreadable', async () => {
    const err = await connectNats(options({ credentials: { creds: { file: '/nonexistent/ccpulse.creds', read: 'once' } } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe('NATS_CREDS');
    expect((err as Error).message).toMatch(/^NATS_CREDS: cannot read \/nonexistent\/ccpulse\.creds: /);
  });

  it('wraps a failed first connect when asked, naming NATS_URL', async () => {
    const err = await connectNats(options({ servers: ['nats://127.0.0.1:1'], firstFailure: 'unavailable' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NatsUnavailableError);
    expect((err as Error).message).toMatch(/^cannot connect to NATS at nats:\/\/127\.0\.0\.1:1 \(NATS_URL\): /);
  });
});

describe('drainOrClose', () => {
  it('drains a connection whose server is there', async () => {
    const nc = await connectNats(options({}));
    expect(await drainOrClose(nc, 3000)).toEqual({ drained: true });
    expect(nc.isClosed()).toBe(true);
  });
});
