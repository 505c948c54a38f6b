import { createHash } from 'node:crypto';
import { type Job, QueueKeys, type RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { DeliveryRequest, DeliveryResponse } from './contract';

/** What producer and consumer share: job shapes, ids, Redis keys and connections. */

export interface DeliveryJobData {
  readonly request: DeliveryRequest;
  /** `enqueue`d deliveries have nobody waiting, so their final failure goes to `onFailed`. */
  readonly mode: 'send' | 'enqueue';
  /** 429 answers so far; they don't count as attempts but are capped. */
  readonly rateLimited?: number;
}

export type DeliveryOutcome = { readonly response: DeliveryResponse } | { readonly supersededBy: string };

export type DeliveryJob = Job<DeliveryJobData, DeliveryOutcome>;

/** The job id is the idempotency key, hashed: BullMQ ignores an add whose id exists, and ids can't hold ':'. */
export function jobIdFor(idempotencyKey: string): string {
  return `d${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}`;
}

export interface DeliveryKeys {
  /** BullMQ's hash of a job. */
  job(jobId: string): string;
  /** A channel's pacing hash. */
  pace(channel: string): string;
  /** A debounce key's hash. */
  debounce(key: string): string;
  /** Where a job that is not debounced holds its pacing slot. */
  hold(jobId: string): string;
}

/** Our keys live in the queue's own namespace, so obliterating the queue removes them too. */
export function deliveryKeys(prefix: string, queueName: string): DeliveryKeys {
  const keys = new QueueKeys(prefix);
  return {
    job: (jobId) => keys.toKey(queueName, jobId),
    pace: (channel) => keys.toKey(queueName, `pace:${channel}`),
    debounce: (key) => keys.toKey(queueName, `debounce:${key}`),
    hold: (jobId) => keys.toKey(queueName, `hold:${jobId}`),
  };
}

/**
 * Connections wait out a Redis restart instead of failing commands (`maxRetriesPerRequest: null`)
 * and reconnect quickly; callers bound their own waits.
 */
export function connectionOptions(redisUrl: string): RedisOptions {
  return {
    url: redisUrl,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
  };
}

export function createRedis(redisUrl: string): Redis {
  const { url: _url, ...options } = connectionOptions(redisUrl);
  return new Redis(redisUrl, options);
}
