/**
 * The apps' one logger setup: pino JSON lines on the given file descriptor, or the same lines
 * made readable (pretty-line.ts) when that descriptor is a terminal. Under `ccpulse start` and in
 * containers the descriptor is a pipe, so JSON goes out and the reader formats it.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { prettyJsonLine, wantsPrettyLogs } from './pretty-line';

export interface AppLoggerOptions {
  /** 1 (stdout) or 2 (stderr, for commands whose stdout is their output). */
  fd: 1 | 2;
  /** pino options (name, base, redact); `level` defaults to LOG_LEVEL, else info. */
  pino?: LoggerOptions;
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether `fd` is a terminal; asked of the OS unless given. */
  isTTY?: boolean;
}

/** Writes each pino line, made readable, straight to `fd` (synchronously: nothing lost on exit). */
export function prettyDestination(fd: number): DestinationStream {
  return {
    write(chunk: string): void {
      const text = chunk
        .split('\n')
        .map((line) => prettyJsonLine(line))
        .join('\n');
      fs.writeSync(fd, text);
    },
  };
}

/** A log setting the logger cannot use; `setting` names it, so the app can stop with exit code 2. */
export class LogSettingError extends Error {
  readonly code = 'LOG_SETTING';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'LogSettingError';
  }
}

export function isLogSettingError(err: unknown): err is LogSettingError {
  return err instanceof LogSettingError;
}

/** LOG_LEVEL (default info), case-insensitive; a name pino does not know is a setting error, not a stack trace. */
export function logLevelOf(env: Readonly<Record<string, string | undefined>>): string {
  const level = env.LOG_LEVEL?.trim().toLowerCase() || 'info';
  const known = [...Object.keys(pino.levels.values), 'silent'];
  if (!known.includes(level)) throw new LogSettingError('LOG_LEVEL', `unknown level '${env.LOG_LEVEL?.trim()}' (known: ${known.join(', ')})`);
  return level;
}

/** The app's logger; throws LogSettingError for an unusable LOG_LEVEL. */
export function createAppLogger(options: AppLoggerOptions): Logger {
  const env = options.env ?? process.env;
  const level = options.pino?.level ?? logLevelOf(env);
  const pretty = wantsPrettyLogs(env, options.isTTY ?? tty.isatty(options.fd));
  const destination = pretty ? prettyDestination(options.fd) : pino.destination({ fd: options.fd, sync: true });
  return pino({ ...options.pino, level }, destination);
}
