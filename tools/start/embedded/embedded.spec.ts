import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveDataDir } from './data-dir';
import { planEmbedded } from './embedded-services';
import { findNatsServer, NatsServerMissingError } from './nats-server.binary';

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

describe('findNatsServer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-nats-bin-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds nats-server on the PATH, and NATS_SERVER_BIN first', () => {
    const bin = path.join(dir, 'nats-server');
    fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
    expect(findNatsServer({ PATH: `/nonexistent${path.delimiter}${dir}` })).toBe(bin);
    const other = path.join(dir, 'my-nats');
    fs.writeFileSync(other, '#!/bin/sh\n', { mode: 0o755 });
    expect(findNatsServer({ PATH: dir, NATS_SERVER_BIN: other })).toBe(other);
  });

  it('without a binary, says how to get one on each platform', () => {
    let error: unknown;
    try {
      findNatsServer({ PATH: '/nonexistent' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NatsServerMissingError);
    const message = (error as Error).message;
    expect(message).toMatch(/no nats-server binary found on the PATH/);
    expect(message).toMatch(/Debian\/Ubuntu: +sudo apt-get install nats-server/);
    expect(message).toMatch(/macOS: +brew install nats-server/);
    expect(message).toMatch(/docker compose up -d nats/);
    expect(message).toMatch(/NATS_SERVER_BIN/);
  });

  it('a NATS_SERVER_BIN that is not executable is named', () => {
    expect(() => findNatsServer({ PATH: '', NATS_SERVER_BIN: path.join(dir, 'missing') })).toThrow(/NATS_SERVER_BIN=.*missing is not an executable file/);
  });
});
