import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { currentContext } from './request-context';

/**
 * Paths that could hold credentials. Secrets must never reach a log line, even by accident in an
 * error object, so these are censored at the logger and not left to each call site.
 */
export const REDACTED_PATHS = [
  'password',
  'secrets',
  'apiKey',
  'apiToken',
  'shopKey',
  'token',
  'access_token',
  'authorization',
  'encryptedSecrets',
  '*.password',
  '*.secrets',
  '*.apiKey',
  '*.apiToken',
  '*.shopKey',
  '*.token',
  '*.access_token',
  '*.authorization',
  '*.basicAuthPassword',
  '*.encryptedSecrets',
  'req.headers.authorization',
  'body.secrets',
];

export function createLogger(service: string, level = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const ctx = currentContext();
      return ctx ? { ...ctx } : {};
    },
  });
}

/** Nest's logger interface on top of pino, so framework messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
