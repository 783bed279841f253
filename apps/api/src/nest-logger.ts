import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Nest's framework messages into the same JSON log as ours. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}
  log_(level: 'info' | 'warn' | 'error' | 'debug', message: unknown, rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    this.pino[level]({ context }, String(message));
  }
  log(message: unknown, ...rest: unknown[]) {
    // Nest's route-mapping chatter is debug, not info.
    this.log_('debug', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.log_('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.log_('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.log_('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.log_('debug', message, rest);
  }
}
