import {
  ErrorCode,
  LogLevel,
  type Logger as SlackLogger,
  WebClient,
  type WebAPICallError,
} from '@slack/web-api';
import type { Logger } from '../logger';
import type { DeliveryResponse } from './contract';
import { SendError } from './errors';
import type { Sender } from './sender';

export interface SlackSenderOptions {
  token: string;
  /** Base URL of the Web API, e.g. a LocalSlackServer's `apiUrl`. Default Slack's. */
  apiUrl?: string;
  /** Timeout of one request in ms. */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * Calls the Slack Web API once per `send`. The SDK's own retry loop and 429 handling are off
 * (`retries: 0`, `rejectRateLimitedCalls`), so the delivery queue's policy is the only one.
 */
export class SlackSender implements Sender {
  readonly client: WebClient;

  constructor(options: SlackSenderOptions) {
    this.client = new WebClient(options.token, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 15_000,
      ...(options.logger ? { logger: slackLogger(options.logger) } : { logLevel: LogLevel.ERROR }),
    });
  }

  async send(method: string, args: Readonly<Record<string, unknown>>): Promise<DeliveryResponse> {
    try {
      const result = await this.client.apiCall(method, { ...args });
      return { ...result };
    } catch (error) {
      throw toSendError(error);
    }
  }
}

function toSendError(error: unknown): SendError {
  const coded = error as WebAPICallError;
  switch (coded?.code) {
    case ErrorCode.RateLimitedError:
      return new SendError('ratelimited', { retryAfterMs: coded.retryAfter * 1000, cause: error });
    case ErrorCode.PlatformError:
      // `ratelimited` without a 429 status still means "slow down"; Slack's usual wait is 1 s.
      return coded.data.error === 'ratelimited'
        ? new SendError('ratelimited', { retryAfterMs: 1000, cause: error })
        : new SendError(coded.data.error, { cause: error });
    case ErrorCode.HTTPError:
      return new SendError(`http_${coded.statusCode}`, { permanent: false, cause: error });
    case ErrorCode.RequestError:
      return new SendError('request_error', { permanent: false, cause: error });
    default:
      return new SendError(error instanceof Error ? error.message : String(error), {
        permanent: false,
        cause: error,
      });
  }
}

/** The SDK's logger interface on pino, at warn and above (debug would log request bodies). */
function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-web-api' });
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: () => {},
    getLevel: () => LogLevel.WARN,
    setName: () => {},
  };
}
