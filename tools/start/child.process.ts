/**
 * One child of `ccpulse start`: spawned in its own process group (so a terminal Ctrl-C reaches
 * only the supervisor, which then stops the children in order), output prefixed line by line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createLinePrefixer } from './line-prefixer';
import type { ChildExit } from './restart.policy';

/** How to launch one child. */
export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Where prefixed lines go (stdout and stderr of the supervisor by default). */
export interface LogSink {
  out(line: string): void;
  err(line: string): void;
}

export const consoleSink: LogSink = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** A running child; `exited` settles once, with its code or signal. */
export interface RunningChild {
  name: string;
  pid: number | undefined;
  exited: Promise<ChildExit>;
  signal(sig: NodeJS.Signals): void;
}

export function spawnChild(spec: ChildSpec, sink: LogSink, width: number): RunningChild {
  const child: ChildProcess = spawn(spec.command, spec.args, {
    env: spec.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const out = createLinePrefixer(spec.name, width);
  const err = createLinePrefixer(spec.name, width);
  child.stdout?.setEncoding('utf8').on('data', (c: string) => out.push(c).forEach(sink.out));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => err.push(c).forEach(sink.err));
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('error', (e) => {
      sink.err(`${spec.name}: could not start ${spec.command}: ${e.message}`);
      resolve({ code: 127, signal: null });
    });
    // 'close' (not 'exit') so the last buffered output is printed before we report the exit.
    child.once('close', (code, signal) => {
      out.flush().forEach(sink.out);
      err.flush().forEach(sink.err);
      resolve({ code, signal });
    });
  });
  return {
    name: spec.name,
    pid: child.pid,
    exited,
    signal(sig) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        child.kill(sig);
      } catch {
        // already gone: nothing to stop
      }
    },
  };
}


