/**
 * Human-readable logs for a terminal: a pino JSON line becomes `10:31:02 INFO  message key=value`.
 * The one formatter for the apps run on their own and for `ccpulse start`, which formats its
 * children's lines. JSON stays the default when not on a TTY or with LOG_FORMAT=json.
 */

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

/** A pino JSON line made readable; anything else is returned unchanged. */
export function prettyJsonLine(line: string): string {
  if (!line.startsWith('{"level":')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time) : undefined;
  const clock = time ? `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())} ` : '';
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${value(v)}`);
  return `${clock}${level} ${String(entry.msg ?? '')}${fields.length ? '  ' + fields.join(' ') : ''}`;
}

/** Pretty only for a person at a terminal, and never when LOG_FORMAT=json asks for JSON. */
export function wantsPrettyLogs(env: Readonly<Record<string, string | undefined>>, isTTY: boolean | undefined): boolean {
  return Boolean(isTTY) && env.LOG_FORMAT?.trim().toLowerCase() !== 'json';
}
