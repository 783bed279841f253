/**
 * A server process that `ccpulse start` runs for itself (PostgreSQL, nats-server). It gets its
 * own process group, so a terminal Ctrl-C reaches only the supervisor, which stops the servers
 * last, after the apps that use them.
 */
import { spawn } from 'node:child_process';

export interface ServerSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /** The signal that asks for a clean, quick shutdown. */
  stopSignal: NodeJS.Signals;
  /** Every output line, for the log and for error messages. */
  onLine?: (line: string) => void;
}

export interface ServerProcess {
  name: string;
  pid: number | undefined;
  /** Settles once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** The last output lines (for an error message when it did not start). */
  tail(): string[];
  /** Sends the stop signal, then SIGKILL to the whole group after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  /** Synchronous last resort (process 'exit'): the stop signal, nothing to wait on. */
  signalStop(): void;
}

const TAIL_LINES = 30;

export function spawnServer(spec: ServerSpec): ServerProcess {
  const child = spawn(spec.command, spec.args, {
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    uid: spec.uid,
    gid: spec.gid,
  });
  const lines: string[] = [];
  let running = true;
  const collect = (stream: NodeJS.ReadableStream | null): void => {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
        spec.onLine?.(line);
      }
    });
  };
  collect(child.stdout);
  collect(child.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (err) => {
      running = false;
      lines.push(`could not start ${spec.command}: ${err.message}`);
      resolve({ code: 127, signal: null });
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (!running || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    name: spec.name,
    pid: child.pid,
    exited,
    isRunning: () => running,
    tail: () => [...lines],
    async stop(graceMs) {
      if (!running || child.pid === undefined) return;
      try {
        process.kill(child.pid, spec.stopSignal);
      } catch {
        return;
      }
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    signalStop() {
      if (!running || child.pid === undefined) return;
      try {
        process.kill(child.pid, spec.stopSignal);
      } catch {
        // gone already
      }
    },
  };
}
