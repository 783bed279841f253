/** A `ccpulse <command>` child run from source, with its output kept for assertions. */
import { spawn } from 'node:child_process';
import { repoPath } from './repo-paths';

export interface AppProcess {
  pid: number | undefined;
  output(): string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `ms`; resolves with the exit code (null when killed). */
  stop(ms?: number): Promise<number | null>;
  /** Sends `signal` (e.g. SIGINT, as a terminal's Ctrl-C) and waits for nothing. */
  signal(signal: NodeJS.Signals): void;
  waitFor(what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void>;
  /** Until the output matches `pattern`; fails when the child exits first. */
  waitForOutput(pattern: RegExp, ms?: number): Promise<RegExpMatchArray>;
}

/**
 * Runs `command` through tests/stack/support/run-source.js. `env` is the child's whole
 * environment, apart from PATH (inherited unless given).
 */
export function runApp(command: string, args: string[], env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [repoPath('tests/stack/support/run-source.js'), command, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}) before ${what}:\n${out}`);
      if (Date.now() > deadline) throw new Error(`${what}: not reached within ${ms} ms; ${command} output:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    pid: child.pid,
    output: () => out,
    exited,
    async stop(ms = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    signal: (signal) => void child.kill(signal),
    waitFor,
    async waitForOutput(pattern, ms = 60_000) {
      await waitFor(String(pattern), () => pattern.test(out), ms);
      return out.match(pattern) as RegExpMatchArray;
    },
  };
}
