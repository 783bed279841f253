import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIngestConfig, parseIngestArgs } from './ingest-config';
import { ConfigError } from '@ccpulse/runtime';

const base = { CCPULSE_USER: 'alice', CCPULSE_HOST: 'box', CLAUDE_CONFIG_DIR: '/nowhere' };
const load = (env: Record<string, string>, argv: string[] = []) => loadIngestConfig({ ...base, ...env }, parseIngestArgs(argv));

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected an ConfigError');
}

describe('loadIngestConfig', () => {
  it('given nothing special, uses the documented defaults', () => {
    const c = load({});
    expect(c).toMatchObject({
      natsServers: ['nats://127.0.0.1:4222'],
      stream: 'CCPULSE_ENTRIES',
      offsetsBucket: 'ccpulse-offsets',
      subjectPrefix: 'ccpulse',
      content: 'slim',
      metricsPort: 9102,
      // metrics on loopback unless INGEST_METRICS_HOST opens them (compose does)
      metricsHost: '127.0.0.1',
      pollMs: 1000,
      publishWindow: 1024,
      heartbeatMs: 30_000,
      once: false,
    });
    expect(c.streamMaxBytes).toBeUndefined();
    expect(c.roots).toEqual(['/nowhere/projects']);
  });

  it('given the following settings, uses their defaults, reads units, and refuses a bad watch mode or a sweep shorter than the poll', () => {
    expect(load({})).toMatchObject({ sweepMs: 300_000, watch: 'auto', partialLineMs: 2000 });
    expect(load({ INGEST_SWEEP_MS: '2m', INGEST_WATCH: 'off', INGEST_PARTIAL_LINE_MS: '500ms' })).toMatchObject({ sweepMs: 120_000, watch: 'off', partialLineMs: 500 });
    expect(errorOf(() => load({ INGEST_WATCH: 'inotify' })).message).toContain('INGEST_WATCH');
    expect(errorOf(() => load({ INGEST_SWEEP_MS: '500ms' })).message).toContain('INGEST_SWEEP_MS');
  });

  it('given durations and sizes with units, converts them', () => {
    const c = load({ STREAM_MAX_BYTES: '10GB', INGEST_HEARTBEAT_MS: '1500' });
    expect(c.streamMaxBytes).toBe(10 * 1024 ** 3);
    expect(load({ STREAM_MAX_BYTES: '-1' }).streamMaxBytes).toBe(-1);
    expect(c.heartbeatMs).toBe(1500);
  });

  it.each([
    ['CCPULSE_USER', { CCPULSE_USER: 'a.b' }],
    ['INGEST_CONTENT', { INGEST_CONTENT: 'everything' }],
    ['INGEST_METRICS_PORT', { INGEST_METRICS_PORT: 'x' }],
    ['INGEST_PUBLISH_WINDOW', { INGEST_PUBLISH_WINDOW: '0' }],
    ['STREAM_DUPLICATE_WINDOW', { STREAM_DUPLICATE_WINDOW: '2m' }],
    ['STREAM_MAX_BYTES', { STREAM_MAX_BYTES: 'lots' }],
    ['NATS_URL', { NATS_URL: 'http://x y' }],
    ['NATS_PASSWORD', { NATS_USER: 'u' }],
    ['CCPULSE_SUBJECT_PREFIX', { CCPULSE_SUBJECT_PREFIX: 'a.*' }],
    ['NATS_CREDS', { NATS_CREDS: '/no/such.creds' }],
  ])('given a bad %s, refuses naming the setting', (setting, env) => {
    const err = errorOf(() => load(env as Record<string, string>));
    expect(err.setting).toBe(setting);
    expect(err.code).toBe('CONFIG_INVALID');
  });

  it('given a YAML file, reads it under the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ccpulse-cfg-'));
    const file = join(dir, 'ingest.yaml');
    writeFileSync(file, 'NATS_URL: nats://nats.example:4222\nINGEST_POLL_MS: 250\nCCPULSE_USER: bob\n');
    const c = load({ CCPULSE_USER: 'carol' }, ['--config', file, '--once']);
    rmSync(dir, { recursive: true, force: true });
    expect(c.natsServers).toEqual(['nats://nats.example:4222']);
    expect(c.pollMs).toBe(250);
    expect(c.user).toBe('carol');
    expect(c.once).toBe(true);
  });

  it('given an unknown flag, names it', () => {
    expect(errorOf(() => parseIngestArgs(['--fast'])).setting).toBe('--fast');
  });
});
