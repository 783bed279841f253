import { loadApiConfig } from './api-config';
import { ConfigError } from '@ccpulse/runtime';
import { resolveHomeShowStatusFrame } from './home-switch';

const io = (files: Record<string, string> = {}) => ({
  readFile: (p: string) => {
    if (!(p in files)) throw new Error('ENOENT');
    return files[p];
  },
  osUser: () => 'dev',
});

function settingOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
  return undefined;
}

describe('home status frame switch', () => {
  it('defaults to shown', () => {
    expect(resolveHomeShowStatusFrame(undefined, undefined)).toBe(true);
    expect(resolveHomeShowStatusFrame('', { home: {} })).toBe(true);
  });

  it.each(['0', 'false', 'no', 'off', 'OFF', ' False '])('reads %j as off', (v) => {
    expect(resolveHomeShowStatusFrame(v, undefined)).toBe(false);
  });

  it('lets the env win over the file, and the file over the default', () => {
    expect(resolveHomeShowStatusFrame('yes', { home: { show_status_frame: false } })).toBe(true);
    expect(resolveHomeShowStatusFrame(undefined, { home: { show_status_frame: false } })).toBe(false);
    expect(resolveHomeShowStatusFrame(undefined, { home: { show_status_frame: 'off' } })).toBe(false);
  });

  it('refuses a value it cannot read, naming the setting', () => {
    expect(settingOf(() => resolveHomeShowStatusFrame('maybe', undefined))).toBe('CCPULSE_HOME_SHOW_STATUS_FRAME');
    expect(settingOf(() => resolveHomeShowStatusFrame(undefined, { home: { show_status_frame: 'perhaps' } }))).toMatch(/home.show_status_frame/);
  });
});

describe('loadApiConfig', () => {
  it('has working defaults', () => {
    const c = loadApiConfig({}, io());
    expect(c).toMatchObject({
      port: 4000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      nats: { url: 'nats://127.0.0.1:4222' },
      auth: { kind: 'token' },
      subjectPrefix: 'ccpulse',
      opsPrefix: 'ccpulse.ops',
      homeShowStatusFrame: true,
      graphiql: true,
    });
  });

  it('reads the config file and lets the env override it', () => {
    const files = { '/etc/ccpulse.yaml': 'home:\n  show_status_frame: false\n' };
    expect(loadApiConfig({ CCPULSE_CONFIG: '/etc/ccpulse.yaml' }, io(files)).homeShowStatusFrame).toBe(false);
    expect(loadApiConfig({ CCPULSE_CONFIG: '/etc/ccpulse.yaml', CCPULSE_HOME_SHOW_STATUS_FRAME: 'on' }, io(files)).homeShowStatusFrame).toBe(true);
  });

  it('turns auth off for one local admin named by CCPULSE_USER or the OS user', () => {
    expect(loadApiConfig({ CCPULSE_AUTH: 'disabled' }, io()).auth).toEqual({ kind: 'disabled', user: 'dev' });
    expect(loadApiConfig({ CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'ann' }, io()).auth).toEqual({ kind: 'disabled', user: 'ann' });
  });

  it('names the accepted CCPULSE_AUTH values when refusing another spelling', () => {
    expect(() => loadApiConfig({ CCPULSE_AUTH: 'enabled' }, io())).toThrow(/CCPULSE_AUTH.*expected 'token' or 'disabled'.*"enabled"/);
    expect(loadApiConfig({ CCPULSE_AUTH: 'token' }, io()).auth).toEqual({ kind: 'token' });
    expect(loadApiConfig({}, io()).auth).toEqual({ kind: 'token' });
  });

  it('disables GraphiQL in production', () => {
    expect(loadApiConfig({ NODE_ENV: 'production' }, io()).graphiql).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ NATS_URL: 'not a url' }, 'NATS_URL'],
    [{ CCPULSE_AUTH: 'maybe' }, 'CCPULSE_AUTH'],
    [{ CCPULSE_AUTH: 'enabled' }, 'CCPULSE_AUTH'],
    [{ CCPULSE_AUTH: 'off' }, 'CCPULSE_AUTH'],
    [{ CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'a b' }, 'CCPULSE_USER'],
    [{ CCPULSE_SUBJECT_PREFIX: 'a.*' }, 'CCPULSE_SUBJECT_PREFIX'],
    [{ CCPULSE_CONFIG: '/missing.yaml' }, 'CCPULSE_CONFIG'],
    [{ API_MAX_PAGE_SIZE: '0' }, 'API_MAX_PAGE_SIZE'],
    [{ CCPULSE_HOME_SHOW_STATUS_FRAME: 'sometimes' }, 'CCPULSE_HOME_SHOW_STATUS_FRAME'],
  ])('stops on %j naming %s', (env, setting) => {
    expect(settingOf(() => loadApiConfig(env as Record<string, string>, io()))).toBe(setting);
  });

  it('refuses a config file that is not YAML or not a mapping', () => {
    expect(settingOf(() => loadApiConfig({ CCPULSE_CONFIG: '/c' }, io({ '/c': 'home: [unclosed' })))).toBe('CCPULSE_CONFIG');
    expect(settingOf(() => loadApiConfig({ CCPULSE_CONFIG: '/c' }, io({ '/c': '- a\n- b\n' })))).toBe('CCPULSE_CONFIG');
  });
});
