import pino, { type Logger } from 'pino';

/** Structured JSON logs on stderr (stdout stays free for command output). */
export function createLogger(name: string, level = process.env.LOG_LEVEL || 'info'): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}
