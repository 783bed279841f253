/**
 * Human-readable child logs for `ccpulse start` on a terminal: a pino JSON line becomes
 * `10:31:02 INFO  message key=value`. JSON stays as it is when not on a TTY or with
 * LOG_FORMAT=json; lines that are not pino JSON pass through unchanged.
 */
import type { LogSink } from './child.process';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** Fields every line has; they are shown in the prefix or not at all. */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'app', 'v']);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function value(v: unknown): string {
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/** `line` after the child's name prefix (`api        | {...}`), or the whole line. */
export function prettyLogLine(line: string): string {
  const bar = line.indexOf('| ');
  const head = bar >= 0 ? line.slice(0, bar + 2) : '';
  const body = bar >= 0 ? line.slice(bar + 2) : line;
  if (!body.startsWith('{"level":')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time) : undefined;
  const clock = time ? `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} ` : '';
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  return `${head}${clock}${level} ${String(entry.msg ?? '')}${fields.length ? '  ' + fields.join(' ') : ''}`;
}

export function wantsPrettyLogs(env: Readonly<Record<string, string | undefined>>, isTTY: boolean | undefined): boolean {
  return Boolean(isTTY) && env.LOG_FORMAT?.trim().toLowerCase() !== 'json';
}

export function prettySink(inner: LogSink): LogSink {
  return { out: (line) => inner.out(prettyLogLine(line)), err: (line) => inner.err(prettyLogLine(line)) };
}
