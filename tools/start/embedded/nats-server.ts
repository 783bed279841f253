/**
 * A managed `nats-server -js`: bound to 127.0.0.1, its JetStream store under
 * `<data dir>/nats`, stopped after the apps that use it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnServer, type ServerProcess } from './server.process';
import { waitForPort } from './tcp-port';

const START_TIMEOUT_MS = 30_000;

export class NatsServerStartError extends Error {
  readonly code = 'NATS_SERVER_START';
}

export interface ManagedNats {
  url: string;
  server: ServerProcess;
}

export interface ManagedNatsOptions {
  bin: string;
  dataDir: string;
  port: number;
  onLine?: (line: string) => void;
}

export function natsServerArgs(storeDir: string, port: number): string[] {
  // No monitoring port, no cluster: one local JetStream server that nothing else can reach.
  return ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, '-n', 'ccpulse-local'];
}

export async function startNatsServer(options: ManagedNatsOptions): Promise<ManagedNats> {
  const storeDir = path.join(options.dataDir, 'nats');
  fs.mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  const server = spawnServer({
    name: 'nats-server',
    command: options.bin,
    args: natsServerArgs(storeDir, options.port),
    stopSignal: 'SIGTERM',
    onLine: options.onLine,
  });
  const up = await waitForPort('127.0.0.1', options.port, START_TIMEOUT_MS, () => server.isRunning());
  if (!up) {
    await server.stop(5_000);
    throw new NatsServerStartError(`${options.bin} did not start on 127.0.0.1:${options.port}:\n${server.tail().join('\n')}`);
  }
  return { url: `nats://127.0.0.1:${options.port}`, server };
}
