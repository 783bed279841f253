/**
 * Finding a nats-server binary. No npm package ships one, so it comes from `NATS_SERVER_BIN`, the
 * PATH, or the places the usual installers put it (a shell started from a desktop app, or a
 * non-root shell on Debian, often lacks those on its PATH). `ccpulse start`, the tests and the
 * bench all find it here, so they agree on which one runs. When there is none, the message says
 * how to get it on each platform.
 */
import fs from 'node:fs';
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** Raised when a nats-server is needed and none is installed (`ccpulse start` exits 2). */
export class NatsServerMissingError extends Error {
  readonly code = 'NATS_SERVER_MISSING';

  constructor(message: string) {
    super(message);
    this.name = 'NatsServerMissingError';
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the installers in `natsServerInstallHelp` put nats-server: Homebrew (Apple silicon, Intel
 * and Linux), Debian's package (`/usr/sbin`), snap, and on Windows winget's and scoop's links.
 */
export function natsServerInstallDirs(env: Env, platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'win32') {
    return [
      env.LOCALAPPDATA && path.join(env.LOCALAPPDATA, 'Microsoft', 'WinGet', 'Links'),
      env.USERPROFILE && path.join(env.USERPROFILE, 'scoop', 'shims'),
    ].filter((dir): dir is string => !!dir);
  }
  return ['/opt/homebrew/bin', '/usr/local/bin', '/home/linuxbrew/.linuxbrew/bin', '/usr/bin', '/usr/sbin', '/snap/bin'];
}

/**
 * The nats-server to run: `NATS_SERVER_BIN` when set (it must be executable), else the first
 * `nats-server` on the PATH, else the first in `installDirs`. Throws NatsServerMissingError with
 * install instructions.
 */
export function findNatsServer(env: Env, installDirs: readonly string[] = natsServerInstallDirs(env)): string {
  const explicit = env.NATS_SERVER_BIN?.trim();
  if (explicit) {
    const file = path.resolve(explicit);
    if (isExecutable(file)) return file;
    throw new NatsServerMissingError(`NATS_SERVER_BIN=${explicit} is not an executable file\n${natsServerInstallHelp()}`);
  }
  const name = process.platform === 'win32' ? 'nats-server.exe' : 'nats-server';
  const pathDirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of [...pathDirs, ...installDirs]) {
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  throw new NatsServerMissingError(
    `no nats-server binary found on the PATH or in ${installDirs.join(', ') || 'the usual install places'} (or set NATS_SERVER_BIN)\n${natsServerInstallHelp()}`,
  );
}

/**
 * `findNatsServer`, for callers that can use a running server instead (NATS_URL): undefined when
 * there is no binary.
 */
export function natsServerIfInstalled(env: Env): string | undefined {
  try {
    return findNatsServer(env);
  } catch (err) {
    if (err instanceof NatsServerMissingError) return undefined;
    throw err;
  }
}

/** One line per platform on how to get a nats-server (2.9 or later, with JetStream). */
function natsServerInstallHelp(): string {
  return [
    'Install a nats-server (2.9 or later), or point NATS_URL at a running one:',
    '  Debian/Ubuntu:  sudo apt-get install nats-server',
    '  macOS:          brew install nats-server',
    '  Windows:        winget install nats-io.nats-server  (or scoop install nats-server)',
    '  any platform:   docker compose up -d nats  (the compose file in the ccpulse repository), then NATS_URL=nats://127.0.0.1:4222',
    '  or a release binary from the nats-server project on GitHub, then NATS_SERVER_BIN=/path/to/nats-server',
  ].join('\n');
}
