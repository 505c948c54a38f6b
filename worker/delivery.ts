import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Delivery, DeliveryRequest } from '../core/delivery/contract';
import { settingsFromConfig } from '../core/delivery/config';
import { DeliveryFailedError } from '../core/delivery/errors';
import { createDelivery } from '../core/delivery/producer';
import { SlackSender } from '../core/delivery/slack-sender';
import { startDeliveryWorker } from '../core/delivery/worker';
import type { DeliveryWorker } from '../core/delivery/worker';
import type { Logger } from '../core/logger';
import { deliveryFailedSignal } from '../core/workflow/progress-contract';

/**
 * The producer side for activities: the BullMQ delivery queue when Slack is configured; otherwise
 * every write fails at once with a clear, permanent error (runs go on without their Slack thread).
 */
export function createWorkerDelivery(config: Config, logger: Logger): Delivery {
  if (!config.SLACK_BOT_TOKEN) return unconfiguredDelivery;
  return createDelivery({ redisUrl: config.REDIS_URL, logger, settings: settingsFromConfig(config) });
}

const unconfiguredDelivery: Delivery = {
  async send(request: DeliveryRequest): Promise<never> {
    throw new DeliveryFailedError(request, 'not_configured: set SLACK_BOT_TOKEN to post to Slack', 0);
  },
  async enqueue(): Promise<void> {},
  async close(): Promise<void> {},
};

/**
 * The consumer side, hosted by the light tier: sends queued writes to Slack. A write that fails for
 * good is logged and reported to its run (the progress query shows it), never dropped silently.
 */
export function startWorkerDeliveryConsumer(
  config: Config,
  logger: Logger,
  client: Client,
): DeliveryWorker | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  const slack = new SlackSender({
    token: config.SLACK_BOT_TOKEN,
    apiUrl: config.SLACK_API_URL,
    timeoutMs: config.DELIVERY_SLACK_TIMEOUT_MS,
    logger,
  });
  return startDeliveryWorker({
    redisUrl: config.REDIS_URL,
    logger,
    settings: settingsFromConfig(config),
    senders: { '': slack },
    onFailed: async (request, error) => {
      logger.error(
        { runId: request.runId, channel: request.channel, method: request.method, err: error },
        'delivery failed for good',
      );
      if (!request.runId) return;
      await client.workflow
        .getHandle(request.runId)
        .signal(deliveryFailedSignal, {
          method: request.method,
          channel: request.channel,
          error: error.error,
        })
        .catch((signalError: unknown) =>
          logger.warn(
            { err: signalError, runId: request.runId },
            'could not report the failed delivery to its run',
          ),
        );
    },
  });
}
