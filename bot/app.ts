import { App } from '@slack/bolt';
import type { CustomRoute } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Config } from '../config';
import { ErrorCode, PantheonError } from '../core/errors';
import type { Logger } from '../core/logger';
import { boltLogger } from './bolt-logger';
import type { BotContext } from './deps';

const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('ok');
  },
};

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set, otherwise the HTTP receiver, which
 * verifies every request's signature (and its age: 5 minutes) before any listener sees it. The
 * WebClient talks to SLACK_API_URL when set, with the SDK's retry loop off: a failed call surfaces
 * now, while the user is still looking, instead of minutes later.
 */
export function createApp(
  config: Config,
  logger: Logger,
  routes: readonly CustomRoute[] = [],
): App<BotContext> {
  if (!config.SLACK_BOT_TOKEN) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      'SLACK_BOT_TOKEN must be the Slack bot token (xoxb-...): the bot cannot start without it',
    );
  }
  const clientOptions: WebClientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL.replace(/\/?$/, '/') } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
  const common = {
    token: config.SLACK_BOT_TOKEN,
    clientOptions,
    logger: boltLogger(logger),
    customRoutes: [healthz, ...routes],
    // init() checks the token with auth.test, so a bad one stops start-up with a clear error.
    deferInitialization: true,
  };
  if (config.SLACK_APP_TOKEN) {
    return new App<BotContext>({
      ...common,
      appToken: config.SLACK_APP_TOKEN,
      socketMode: true,
      installerOptions: { port: config.BOT_PORT },
    });
  }
  if (!config.SLACK_SIGNING_SECRET) {
    throw new PantheonError(
      ErrorCode.ConfigInvalid,
      'SLACK_SIGNING_SECRET must be the Slack app signing secret (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  return new App<BotContext>({ ...common, signingSecret: config.SLACK_SIGNING_SECRET });
}
