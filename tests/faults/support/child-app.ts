/** A `ccpulse <command>` child run from source that a scenario can crash with SIGKILL. */
import { spawn } from 'node:child_process';
import { repoPath } from '../../stack/support/repo-paths';

export interface ChildApp {
  pid: number;
  output(): string;
  /** Exit code, or the signal name when killed. */
  exited: Promise<number | string>;
  running(): boolean;
  /** A crash: SIGKILL, no clean shutdown, no flush. */
  kill(): Promise<void>;
  /** A clean stop: SIGTERM (SIGKILL after `ms`). */
  stop(ms?: number): Promise<number | string>;
}

export function runChild(command: string, args: string[], env: Record<string, string>): ChildApp {
  const child = spawn(process.execPath, [repoPath('tests/stack/support/run-source.js'), command, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: string) => {
    out += c;
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    running,
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop(ms = 15_000) {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
