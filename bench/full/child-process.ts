/**
 * Child processes measured from outside: wall time, peak RSS from `/proc/<pid>/status` (`VmHWM`,
 * the kernel's own high-water mark) and CPU seconds from `/proc/<pid>/stat` (utime + stime), read
 * every 10 ms in the child's first second and every 100 ms after — the last read before exit holds
 * the peak, so a child that is done in a fraction of a second (ccusage v20 on a small corpus) is
 * still read close to its end. CPU seconds stay meaningful when a shared machine's load stretches
 * wall times.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A running child whose peak RSS is tracked until it exits. */
export interface Watched {
  name: string;
  child: ChildProcess;
  /** Peak resident set so far, MB (VmHWM). */
  peakMb(): number;
  /** CPU seconds (user + system) used so far, as of the last sample. */
  cpuSeconds(): number;
  /** Last stdout/stderr text, for failure messages. */
  tail(): string;
  stdout(): string;
  exited: Promise<number | null>;
}

function vmHwmMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)\s*kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function cpuOf(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Every 10 ms for the first second of a child, then every 100 ms (a long run needs no finer grain). */
const FAST_SAMPLE_MS = 10;
const FAST_SAMPLE_FOR_MS = 1000;
const SAMPLE_MS = 100;

export function watch(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, keepStdout = false): Watched {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let peak = 0;
  let cpu = 0;
  const out: string[] = [];
  let tail = '';
  const keepTail = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-4000);
  };
  child.stdout!.on('data', (d: Buffer) => (keepStdout ? out.push(d.toString()) : keepTail(d)));
  child.stderr!.on('data', keepTail);
  const sample = () => {
    const mb = child.pid ? vmHwmMb(child.pid) : undefined;
    if (mb !== undefined) peak = Math.max(peak, mb);
    const c = child.pid ? cpuOf(child.pid) : undefined;
    if (c !== undefined) cpu = Math.max(cpu, c);
  };
  let timer = setInterval(sample, FAST_SAMPLE_MS);
  const slowDown = setTimeout(() => {
    clearInterval(timer);
    timer = setInterval(sample, SAMPLE_MS);
  }, FAST_SAMPLE_FOR_MS);
  const stop = () => {
    clearTimeout(slowDown);
    clearInterval(timer);
  };
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      stop();
      resolve(code ?? (signal ? 128 : null));
    });
    child.on('error', (err) => {
      stop();
      tail += String(err);
      resolve(127);
    });
  });
  // Sample as soon as the child is reaping-safe: 'exit' fires after /proc is gone, so a short-lived
  // child's peak comes from the 10 ms samples plus this early one.
  setImmediate(sample);
  return { name, child, peakMb: () => (sample(), peak), cpuSeconds: () => (sample(), cpu), tail: () => tail, stdout: () => out.join(''), exited };
}

/** Result of a child that ran to completion. */
export interface Ran {
  code: number | null;
  seconds: number;
  peakMb: number;
  /** CPU seconds as of the last sample (the final 10 ms, or 100 ms after the first second, may be missing). */
  cpu: number;
  stdout: string;
  tail: string;
}

export async function runMeasured(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  const t0 = performance.now();
  const w = watch(name, cmd, args, env, true);
  const code = await w.exited;
  const seconds = (performance.now() - t0) / 1000;
  return { code, seconds, peakMb: w.peakMb(), cpu: w.cpuSeconds(), stdout: w.stdout(), tail: w.tail() };
}

/** Like runMeasured, but a non-zero exit is an error naming the command. */
export async function runOk(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  const r = await runMeasured(name, cmd, args, env);
  if (r.code !== 0) throw new Error(`${name} exited ${r.code}: ${r.tail.slice(-1500)}`);
  return r;
}

export async function stopChild(w: Watched | undefined): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGTERM');
  const killer = setTimeout(() => w.child.kill('SIGKILL'), 15_000);
  await w.exited;
  clearTimeout(killer);
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
