/**
 * Finding a nats-server binary. No npm package ships one, so it comes from `NATS_SERVER_BIN` or
 * the PATH; when there is none, the message says how to get it on each platform.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Raised when `ccpulse start` needs a nats-server and none is installed (exit 2). */
export class NatsServerMissingError extends Error {
  readonly code = 'NATS_SERVER_MISSING';
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
 * The nats-server to run: `NATS_SERVER_BIN` when set (it must exist), else the first
 * `nats-server` on the PATH. Throws NatsServerMissingError with install instructions.
 */
export function findNatsServer(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env.NATS_SERVER_BIN?.trim();
  if (explicit) {
    const file = path.resolve(explicit);
    if (isExecutable(file)) return file;
    throw new NatsServerMissingError(`NATS_SERVER_BIN=${explicit} is not an executable file\n${natsServerInstallHelp()}`);
  }
  const names = process.platform === 'win32' ? ['nats-server.exe'] : ['nats-server'];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = path.join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  throw new NatsServerMissingError(`no nats-server binary found on the PATH (or set NATS_SERVER_BIN)\n${natsServerInstallHelp()}`);
}

/** One line per platform on how to get a nats-server (2.9 or later, with JetStream). */
export function natsServerInstallHelp(): string {
  return [
    'Install a nats-server (2.9 or later), or point NATS_URL at a running one:',
    '  Debian/Ubuntu:  sudo apt-get install nats-server',
    '  macOS:          brew install nats-server',
    '  Windows:        winget install nats-io.nats-server  (or scoop install nats-server)',
    '  any platform:   docker compose up -d nats  (the compose file in the ccpulse repository), then NATS_URL=nats://127.0.0.1:4222',
    '  or a release binary from the nats-server project on GitHub, then NATS_SERVER_BIN=/path/to/nats-server',
  ].join('\n');
}
