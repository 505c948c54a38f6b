import { LogLevel } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../core/logger';

/** Bolt's logger interface on top of pino, so Bolt's warnings land in the same structured log. */
export function boltLogger(logger: Logger): BoltLogger {
  const line = (parts: unknown[]): string => parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  let level = LogLevel.INFO;
  return {
    debug: (...parts: unknown[]) => logger.debug({ source: 'bolt' }, line(parts)),
    info: (...parts: unknown[]) => logger.info({ source: 'bolt' }, line(parts)),
    warn: (...parts: unknown[]) => logger.warn({ source: 'bolt' }, line(parts)),
    error: (...parts: unknown[]) => logger.error({ source: 'bolt' }, line(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
