import fs from 'node:fs';
import path from 'node:path';
import { ccpulseBin, redact } from './start.command';
import { ConfigError } from '@ccpulse/runtime';
import { announceUrls, DEFAULT_DATABASE_URL, DEFAULT_NATS_URL, resolveStartConfig } from './start.config';

function config(argv: string[], env: Record<string, string | undefined> = {}) {
  const r = resolveStartConfig(argv, env);
  if (r.help) throw new Error('unexpected help');
  return r.config;
}

describe('resolveStartConfig', () => {
  it('given nothing set, when resolving, then runs all three apps against the local servers with auth disabled and a warning', () => {
    const c = config([]);
    expect(c.apps).toEqual(['aggregator', 'api', 'ingestor']);
    expect(c.migrate).toBe(true);
    expect(c.childEnv).toMatchObject({ NATS_URL: DEFAULT_NATS_URL, DATABASE_URL: DEFAULT_DATABASE_URL, PORT: '4000', CCPULSE_AUTH: 'disabled' });
    expect(c.warnings.join('\n')).toMatch(/authentication DISABLED/);
    // The api binds loopback without auth: the warning says so and names the one accepted spelling.
    expect(c.warnings.join('\n')).toMatch(/127\.0\.0\.1 only/);
    expect(c.warnings.join('\n')).toMatch(/CCPULSE_AUTH=token/);
    expect(c.warnings.join('\n')).not.toMatch(/enabled|anyone who can reach/i);
  });

  it('given CCPULSE_AUTH spelled another way, when resolving, then refuses naming the setting and the accepted values', () => {
    for (const v of ['enabled', 'true', 'on']) {
      expect(() => config([], { CCPULSE_AUTH: v })).toThrow(ConfigError);
      expect(() => config([], { CCPULSE_AUTH: v })).toThrow(/CCPULSE_AUTH.*'token' or 'disabled'/);
    }
    expect(config([], { CCPULSE_AUTH: 'disabled' }).warnings).toEqual([]);
  });

  it('given CCPULSE_AUTH set, when resolving, then keeps it and does not warn', () => {
    const c = config([], { CCPULSE_AUTH: 'token', NATS_URL: 'nats://n:4222', FOO: 'bar' });
    expect(c.childEnv).toMatchObject({ CCPULSE_AUTH: 'token', NATS_URL: 'nats://n:4222', FOO: 'bar' });
    expect(c.warnings).toEqual([]);
  });

  it('given --without and --no-migrate, when resolving, then leaves those out', () => {
    const c = config(['--without', 'ingestor', '--no-migrate']);
    expect(c.apps).toEqual(['aggregator', 'api']);
    expect(c.migrate).toBe(false);
    expect(config(['--without=api,ingestor']).apps).toEqual(['aggregator']);
  });

  it('given no api, when resolving, then does not warn about auth', () => {
    expect(config(['--without', 'api']).warnings).toEqual([]);
  });

  it('given --help, when resolving, then asks for help', () => {
    expect(resolveStartConfig(['--help'], {})).toEqual({ help: true });
  });

  it.each([
    [['--without', 'web'], {}, /--without: unknown app 'web'/],
    [['--without', 'api,aggregator,ingestor'], {}, /leaves nothing to run/],
    [['--bogus'], {}, /--bogus: unknown option/],
    [['--grace-ms'], {}, /--grace-ms: needs a value/],
    [['--grace-ms', '0'], {}, /--grace-ms: expected a positive integer/],
    [[], { PORT: 'http' }, /^PORT: expected a positive integer/],
    [[], { PORT: '70000' }, /^PORT: a TCP port is at most 65535/],
    [[], { CCPULSE_START_GRACE_MS: '1.5' }, /^CCPULSE_START_GRACE_MS: expected a positive integer/],
  ])('given %j %j, when resolving, then names the wrong setting', (argv, env, message) => {
    expect(() => resolveStartConfig(argv, env)).toThrow(ConfigError);
    expect(() => resolveStartConfig(argv, env)).toThrow(message);
  });

  it('reads the grace period from env or flag', () => {
    expect(config([], { CCPULSE_START_GRACE_MS: '2500' }).graceMs).toBe(2500);
    expect(config(['--grace-ms=700'], { CCPULSE_START_GRACE_MS: '2500' }).graceMs).toBe(700);
  });
});

describe('announceUrls / redact', () => {
  it('lists the dashboard, GraphQL and metrics URLs of the apps that run', () => {
    const lines = announceUrls(4100, ['api', 'aggregator'], { AGGREGATOR_METRICS_PORT: '9200' });
    expect(lines[0]).toBe('dashboard  http://localhost:4100/');
    expect(lines[1]).toBe('graphql    http://localhost:4100/graphql');
    expect(lines.join('\n')).toMatch(/localhost:9200\/metrics \(aggregator\)/);
    expect(lines.join('\n')).not.toMatch(/ingestor/);
    expect(announceUrls(4000, ['ingestor'], { INGEST_METRICS_PORT: '0' }).join('\n')).toMatch(/ingestor: an ephemeral port/);
  });

  it('hides passwords in URLs', () => {
    expect(redact('postgres://ccpulse:s3cret@db:5432/ccpulse')).toBe('postgres://ccpulse:***@db:5432/ccpulse');
    expect(redact('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
  });
});

describe('ccpulseBin', () => {
  it('finds this package\'s bin/ccpulse.js, unless CCPULSE_BIN names another', () => {
    const bin = ccpulseBin({});
    expect(path.relative(path.join(__dirname, '..', '..'), bin)).toBe(path.join('bin', 'ccpulse.js'));
    expect(fs.existsSync(bin)).toBe(true);
    expect(ccpulseBin({ CCPULSE_BIN: 'x/y.js' })).toBe(path.resolve('x/y.js'));
  });
});
