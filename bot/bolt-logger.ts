import { LogLevel } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../core/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Bolt's logger interface on top of pino, so Bolt's warnings land in the same structured log. */
export function boltLogger(logger: Logger): BoltLogger {
  // Bolt logs a lot at debug on every request: format only what pino will write.
  const at =
    (level: Level) =>
    (...parts: unknown[]): void => {
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        { source: 'bolt' },
        parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '),
      );
    };
  let level = LogLevel.INFO;
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
