import pino, { type Logger } from 'pino';

/** JSON logs on stdout (level from `LOG_LEVEL`, default info). */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL?.trim() || 'info' });
}
