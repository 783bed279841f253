import { loadApiConfig } from './api-config';
import { ConfigError } from '@ccpulse/runtime';

const io = { readFile: () => '', osUser: () => 'dev' };
const load = (env: Record<string, string>) => loadApiConfig(env, io);

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('where the API listens', () => {
  it('listens on loopback only when auth is disabled and no HOST is set', () => {
    expect(load({ CCPULSE_AUTH: 'disabled' }).host).toBe('127.0.0.1');
  });

  it('listens on every interface with tokens, unless HOST says otherwise', () => {
    expect(load({}).host).toBe('0.0.0.0');
    expect(load({ CCPULSE_AUTH: 'token', HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('takes an explicit loopback HOST with auth disabled', () => {
    expect(load({ CCPULSE_AUTH: 'disabled', HOST: '::1' }).host).toBe('::1');
    expect(load({ CCPULSE_AUTH: 'disabled', HOST: 'localhost' }).host).toBe('localhost');
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'dash.example.com'])('refuses HOST=%s with auth disabled, naming both settings', (host) => {
    const err = errorOf(() => load({ CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'ann', HOST: host }));
    expect(err.setting).toBe('HOST');
    expect(err.message).toContain(`HOST=${host}`);
    expect(err.message).toContain('CCPULSE_AUTH=disabled');
    expect(err.message).toContain("admin 'ann'");
    expect(err.message).toContain('CCPULSE_TRUSTED_NETWORK=1');
  });

  it('allows a network HOST with auth disabled only with the explicit trusted-network override', () => {
    expect(load({ CCPULSE_AUTH: 'disabled', HOST: '0.0.0.0', CCPULSE_TRUSTED_NETWORK: '1' }).host).toBe('0.0.0.0');
    expect(() => load({ CCPULSE_AUTH: 'disabled', HOST: '0.0.0.0', CCPULSE_TRUSTED_NETWORK: '0' })).toThrow(ConfigError);
    expect(errorOf(() => load({ CCPULSE_AUTH: 'disabled', HOST: '0.0.0.0', CCPULSE_TRUSTED_NETWORK: 'maybe' })).setting).toBe('CCPULSE_TRUSTED_NETWORK');
  });
});

describe('CORS origins', () => {
  it('are closed by default', () => {
    expect(load({}).corsOrigins).toEqual([]);
  });

  it('take exact origins', () => {
    expect(load({ CCPULSE_CORS_ORIGINS: 'https://a.example.com, http://localhost:3000/' }).corsOrigins).toEqual(['https://a.example.com', 'http://localhost:3000']);
  });

  it.each(['*', 'a.example.com', 'https://a.example.com/path', 'ftp://a.example.com'])('refuse %s', (value) => {
    expect(errorOf(() => load({ CCPULSE_CORS_ORIGINS: value })).setting).toBe('CCPULSE_CORS_ORIGINS');
  });
});
