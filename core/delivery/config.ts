import { z } from 'zod';
import { nonNegativeInt, positiveInt } from '../config-fields';

/**
 * Settings of the delivery queue, in the style of core/config.ts, which merges the shape into core's settings.
 * Each description is what a user sees when the value is malformed.
 */

export const deliveryConfigShape = {
  DELIVERY_QUEUE: z
    .string()
    .regex(/^[\w.-]+$/)
    .default('pantheon-delivery')
    .describe('name of the delivery queue in Redis (letters, digits, . _ -)'),
  DELIVERY_CHANNEL_INTERVAL_MS: positiveInt
    .default(1100)
    .describe('minimum ms between two Slack writes to one channel (Slack allows about 1 per second)'),
  DELIVERY_DEBOUNCE_MS: nonNegativeInt
    .default(1000)
    .describe('ms during which updates with one debounce key coalesce into one call'),
  DELIVERY_ATTEMPTS: positiveInt
    .default(6)
    .describe('attempts per delivery for retryable errors (429s are not counted)'),
  DELIVERY_BACKOFF_MS: positiveInt
    .default(1000)
    .describe('first retry delay in ms, doubled on each further attempt'),
  DELIVERY_MAX_RATE_LIMITED: positiveInt
    .default(50)
    .describe('429 answers one delivery may get before it fails'),
  DELIVERY_CONCURRENCY: positiveInt.default(10).describe('deliveries one worker process sends at once'),
  DELIVERY_RESULT_TTL_SECONDS: positiveInt
    .default(86_400)
    .describe('seconds a delivered result is kept, so a repeated idempotency key gets it back'),
  DELIVERY_WAIT_TIMEOUT_MS: positiveInt
    .default(120_000)
    .describe('ms a caller waits for its delivery before a DeliveryTimeout error (the delivery goes on)'),
  DELIVERY_SLACK_TIMEOUT_MS: positiveInt
    .default(15_000)
    .describe('timeout of one Slack Web API request in ms'),
} as const;

export const deliveryConfigSchema = z.object(deliveryConfigShape);
export type DeliveryConfig = z.output<typeof deliveryConfigSchema>;

/** What producer and consumer read; `settingsFromConfig` maps the environment onto it. */
export interface DeliverySettings {
  readonly queueName: string;
  /** BullMQ key prefix; tests use a unique one. */
  readonly prefix: string;
  readonly channelIntervalMs: number;
  readonly debounceMs: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly maxRateLimited: number;
  readonly concurrency: number;
  readonly resultTtlSeconds: number;
  readonly waitTimeoutMs: number;
  /** How often a waiter re-reads its job besides reacting to queue events (events can be missed across a reconnect). */
  readonly pollMs: number;
  /**
   * A job whose worker vanished (crash, or a reply lost in a Redis restart) is taken up again once
   * its lock (renewed every half `lockMs`) expires, at the next stalled check (every `stalledCheckMs`).
   */
  readonly lockMs: number;
  readonly stalledCheckMs: number;
}

export const defaultDeliverySettings: DeliverySettings = settingsFromConfig(deliveryConfigSchema.parse({}));

export function settingsFromConfig(config: DeliveryConfig): DeliverySettings {
  return {
    queueName: config.DELIVERY_QUEUE,
    prefix: 'pantheon',
    channelIntervalMs: config.DELIVERY_CHANNEL_INTERVAL_MS,
    debounceMs: config.DELIVERY_DEBOUNCE_MS,
    attempts: config.DELIVERY_ATTEMPTS,
    backoffMs: config.DELIVERY_BACKOFF_MS,
    maxRateLimited: config.DELIVERY_MAX_RATE_LIMITED,
    concurrency: config.DELIVERY_CONCURRENCY,
    resultTtlSeconds: config.DELIVERY_RESULT_TTL_SECONDS,
    waitTimeoutMs: config.DELIVERY_WAIT_TIMEOUT_MS,
    pollMs: 2000,
    lockMs: 15_000,
    stalledCheckMs: 10_000,
  };
}
