import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNatsServer, natsServerInstallDirs, natsServerIfInstalled, NatsServerMissingError } from './nats-server.binary';

describe('findNatsServer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccpulse-nats-bin-'));
  const installed = path.join(dir, 'installed');
  const onPath = path.join(dir, 'on-path');
  function executable(file: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
    return file;
  }
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('given NATS_SERVER_BIN, the PATH and an install place, takes NATS_SERVER_BIN, then the PATH, then the install place', () => {
    const fromPath = executable(path.join(onPath, 'nats-server'));
    const fromInstall = executable(path.join(installed, 'nats-server'));
    const explicit = executable(path.join(dir, 'my-nats'));
    expect(findNatsServer({ PATH: onPath, NATS_SERVER_BIN: explicit }, [installed])).toBe(explicit);
    expect(findNatsServer({ PATH: `/nonexistent${path.delimiter}${onPath}` }, [installed])).toBe(fromPath);
    expect(findNatsServer({ PATH: '/nonexistent' }, ['/nonexistent', installed])).toBe(fromInstall);
  });

  it('given no binary anywhere, says how to get one on each platform', () => {
    let error: unknown;
    try {
      findNatsServer({ PATH: '/nonexistent' }, ['/also-nonexistent']);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NatsServerMissingError);
    const message = (error as Error).message;
    expect(message).toMatch(/no nats-server binary found on the PATH or in \/also-nonexistent/);
    expect(message).toMatch(/Debian\/Ubuntu: +sudo apt-get install nats-server/);
    expect(message).toMatch(/macOS: +brew install nats-server/);
    expect(message).toMatch(/docker compose up -d nats/);
    expect(message).toMatch(/NATS_SERVER_BIN/);
  });

  it('given a NATS_SERVER_BIN that is not executable, names it rather than looking elsewhere', () => {
    executable(path.join(onPath, 'nats-server'));
    expect(() => findNatsServer({ PATH: onPath, NATS_SERVER_BIN: path.join(dir, 'missing') }, [])).toThrow(/NATS_SERVER_BIN=.*missing is not an executable file/);
  });

  it('the install places include Homebrew on both Macs and Debian’s /usr/sbin, and winget’s and scoop’s links on Windows', () => {
    expect(natsServerInstallDirs({}, 'darwin')).toEqual(expect.arrayContaining(['/opt/homebrew/bin', '/usr/local/bin']));
    expect(natsServerInstallDirs({}, 'linux')).toContain('/usr/sbin');
    expect(natsServerInstallDirs({ LOCALAPPDATA: 'C:\\L', USERPROFILE: 'C:\\U' }, 'win32')).toEqual([
      path.join('C:\\L', 'Microsoft', 'WinGet', 'Links'),
      path.join('C:\\U', 'scoop', 'shims'),
    ]);
  });

  it('natsServerIfInstalled: the binary when there is one, else undefined', () => {
    const explicit = executable(path.join(dir, 'my-nats'));
    expect(natsServerIfInstalled({ NATS_SERVER_BIN: explicit })).toBe(explicit);
    expect(natsServerIfInstalled({ NATS_SERVER_BIN: path.join(dir, 'missing') })).toBeUndefined();
  });
});
