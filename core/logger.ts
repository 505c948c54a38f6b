import pino from 'pino';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import type { CoreConfig } from './config';

export type Logger = pino.Logger;

/**
 * Structured JSON logs (pino), pretty in development. Object first:
 * `logger.info({ runId }, 'started')`. Secrets never go in log objects.
 */
export function createLogger(
  config: Pick<CoreConfig, 'LOG_LEVEL' | 'LOG_PRETTY' | 'NODE_ENV'>,
  bindings: Record<string, unknown> = {},
): Logger {
  const pretty = config.LOG_PRETTY ?? config.NODE_ENV === 'development';
  return pino({
    level: config.LOG_LEVEL,
    base: { ...bindings },
    redact: {
      paths: ['*.token', '*.apiKey', '*.password', '*.secret', 'headers.authorization'],
      censor: '[redacted]',
    },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: {
              colorize: true,
              singleLine: true,
              translateTime: 'HH:MM:ss',
              ignore: 'pid,hostname,process,tiers',
            },
          },
        }
      : {}),
  });
}

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Temporal's logger interface on top of pino, for `Runtime.install({ logger })`. Temporal attaches
 * workflow and run ids (and activity ids) as metadata, so they land in every log line.
 */
export function toTemporalLogger(logger: Logger): TemporalLogger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const { ...fields } = meta ?? {};
    logger[levels[level]](fields, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
