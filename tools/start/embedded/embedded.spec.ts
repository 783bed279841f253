import { resolveDataDir } from './data-dir';
import { planEmbedded } from './embedded-services';

describe('resolveDataDir', () => {
  it('prefers CCPULSE_DATA_DIR, then $XDG_DATA_HOME/ccpulse, then ~/.local/share/ccpulse', () => {
    expect(resolveDataDir({ CCPULSE_DATA_DIR: '/srv/cc', XDG_DATA_HOME: '/x' }, '/home/a')).toBe('/srv/cc');
    expect(resolveDataDir({ XDG_DATA_HOME: '/x' }, '/home/a')).toBe('/x/ccpulse');
    expect(resolveDataDir({ XDG_DATA_HOME: 'relative' }, '/home/a')).toBe('/home/a/.local/share/ccpulse');
    expect(resolveDataDir({}, '/home/a')).toBe('/home/a/.local/share/ccpulse');
  });
});

describe('planEmbedded', () => {
  const nothing = async () => false;
  const everything = async () => true;
  it('starts a server only when its URL is unset and nothing answers on its default port', async () => {
    expect(await planEmbedded('auto', {}, nothing)).toEqual({ postgres: true, nats: true });
    expect(await planEmbedded('auto', {}, everything)).toEqual({ postgres: false, nats: false });
    expect(await planEmbedded('auto', { DATABASE_URL: 'postgres://db/x' }, nothing)).toEqual({ postgres: false, nats: true });
    expect(await planEmbedded('auto', { NATS_URL: 'nats://n:4222' }, nothing)).toEqual({ postgres: true, nats: false });
  });
  it('--embedded forces both even when the defaults answer', async () => {
    expect(await planEmbedded('force', { DATABASE_URL: 'postgres://db/x' }, everything)).toEqual({ postgres: true, nats: true });
  });
});
