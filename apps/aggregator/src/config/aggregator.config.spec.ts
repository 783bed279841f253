import { PROCESSOR_VERSION } from '@ccpulse/domain';
import { loadAggregatorConfig } from './aggregator.config';
import { ConfigError } from '@ccpulse/runtime';

describe('loadAggregatorConfig', () => {
  it('has working defaults', () => {
    const c = loadAggregatorConfig({});
    expect(c).toMatchObject({
      natsUrl: 'nats://127.0.0.1:4222',
      batchSize: 1000,
      batchMs: 200,
      batchIdleMs: 0,
      metricsPort: 9101,
      // metrics on loopback unless AGGREGATOR_METRICS_HOST opens them (compose does)
      metricsHost: '127.0.0.1',
      stream: 'CCPULSE_ENTRIES',
      subjectPrefix: 'ccpulse',
      opsPrefix: 'ccpulse.ops',
      processorVersion: PROCESSOR_VERSION,
      natsAuth: { kind: 'none' },
    });
  });

  it('reads overrides, credentials and the test-only version override', () => {
    const c = loadAggregatorConfig({
      AGGREGATOR_BATCH_SIZE: '50',
      AGGREGATOR_BATCH_IDLE_MS: '20',
      AGGREGATOR_METRICS_PORT: '0',
      CCPULSE_STREAM: 'T1',
      CCPULSE_SUBJECT_PREFIX: 'tx',
      NATS_USER: 'u',
      NATS_PASSWORD: 'p',
      CCPULSE_PROCESSOR_VERSION_OVERRIDE: '7',
    });
    expect(c).toMatchObject({ batchSize: 50, batchIdleMs: 20, metricsPort: 0, stream: 'T1', subjectPrefix: 'tx', opsPrefix: 'tx.ops', processorVersion: 7 });
    expect(c.natsAuth).toEqual({ kind: 'user', user: 'u', pass: 'p' });
  });

  it.each([
    ['AGGREGATOR_BATCH_SIZE', { AGGREGATOR_BATCH_SIZE: '0' }],
    ['AGGREGATOR_BATCH_MS', { AGGREGATOR_BATCH_MS: 'soon' }],
    ['AGGREGATOR_BATCH_IDLE_MS', { AGGREGATOR_BATCH_IDLE_MS: '-1' }],
    ['AGGREGATOR_METRICS_PORT', { AGGREGATOR_METRICS_PORT: '70000' }],
    ['NATS_URL', { NATS_URL: 'http://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['CCPULSE_SUBJECT_PREFIX', { CCPULSE_SUBJECT_PREFIX: 'a b' }],
    ['NATS_TOKEN', { NATS_USER: 'u', NATS_PASSWORD: 'p', NATS_TOKEN: 't' }],
    ['NATS_PASSWORD', { NATS_USER: 'u' }],
  ])('names %s when it is wrong', (setting, env) => {
    let err: unknown;
    try {
      loadAggregatorConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).setting).toBe(setting);
  });
});

describe('loadAggregatorConfig: webhooks', () => {
  it('allows public addresses only by default', () => {
    const c = loadAggregatorConfig({});
    expect(c.webhook.allow.size).toBe(0);
    expect(c.webhook.timeoutMs).toBe(5000);
  });

  it('opens the classes CCPULSE_WEBHOOK_ALLOW lists', () => {
    expect([...loadAggregatorConfig({ CCPULSE_WEBHOOK_ALLOW: 'loopback,private' }).webhook.allow]).toEqual(['loopback', 'private']);
  });

  it('stops at start on an unknown class, naming the setting', () => {
    expect(() => loadAggregatorConfig({ CCPULSE_WEBHOOK_ALLOW: 'loopback,lan' })).toThrow(ConfigError);
    expect(() => loadAggregatorConfig({ CCPULSE_WEBHOOK_ALLOW: 'lan' })).toThrow(/^CCPULSE_WEBHOOK_ALLOW: unknown address class 'lan'/);
  });
});
