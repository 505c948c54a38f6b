import pino from 'pino';
import type { Logger } from '../../core/logger';

let fallback: Logger | undefined;

/** For callers that pass no logger (scripts, tests): plain pino at info, created on first use. */
export function defaultLogger(): Logger {
  fallback ??= pino({ base: { component: 'llm' } });
  return fallback;
}
