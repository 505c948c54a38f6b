import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import type { Delivery, DeliveryRequest, DeliveryResponse } from './contract';
import { type DeliverySettings, defaultDeliverySettings } from './config';
import { Debouncer } from './debounce';
import { DeliveryFailedError, DeliveryTimeoutError, isPermanentError } from './errors';
import {
  type DeliveryJobData,
  type DeliveryOutcome,
  connectionOptions,
  createRedis,
  deliveryKeys,
  jobIdFor,
} from './queue';
import type { SenderMap } from './sender';
import { JobWatcher } from './watcher';
import { type DeliveryFailureHandler, type DeliveryWorker, startDeliveryWorker } from './worker';

export interface DeliveryOptions {
  redisUrl: string;
  logger: Logger;
  settings?: Partial<DeliverySettings>;
  /** Also consume the queue in this process with these senders; leave out when another process runs `startDeliveryWorker`. */
  senders?: SenderMap;
  /** With `senders`: called when an `enqueue`d delivery fails for good. */
  onFailed?: DeliveryFailureHandler;
}

/** The producer side of the delivery queue (and, given `senders`, a consumer in the same process). */
export function createDelivery(options: DeliveryOptions): Delivery {
  return new QueueDelivery(options);
}

class QueueDelivery implements Delivery {
  private readonly settings: DeliverySettings;
  private readonly logger: Logger;
  private readonly queue: Queue<DeliveryJobData, DeliveryOutcome>;
  private readonly redis: Redis;
  private readonly debouncer: Debouncer;
  private readonly worker: DeliveryWorker | undefined;
  private watcher: JobWatcher | undefined;
  private closed = false;

  constructor(private readonly options: DeliveryOptions) {
    this.settings = { ...defaultDeliverySettings, ...options.settings };
    this.logger = options.logger.child({ component: 'delivery' });
    const ttlSeconds = this.settings.resultTtlSeconds;
    this.queue = new Queue(this.settings.queueName, {
      connection: connectionOptions(options.redisUrl),
      prefix: this.settings.prefix,
      defaultJobOptions: {
        attempts: this.settings.attempts,
        backoff: { type: 'exponential', delay: this.settings.backoffMs },
        // Finished jobs are the idempotency record: kept so a repeated key gets the first result.
        removeOnComplete: { age: ttlSeconds },
        removeOnFail: { age: ttlSeconds },
      },
    });
    this.queue.on('error', (error) => this.logger.debug({ err: error }, 'queue connection error'));
    this.redis = createRedis(options.redisUrl);
    this.redis.on('error', (error: Error) => this.logger.debug({ err: error }, 'redis connection error'));
    const keys = deliveryKeys(this.settings.prefix, this.settings.queueName);
    this.debouncer = new Debouncer(this.redis, keys, this.settings.debounceMs, ttlSeconds * 1000);
    this.worker = options.senders ? startDeliveryWorker({ ...options, senders: options.senders }) : undefined;
  }

  async send(request: DeliveryRequest): Promise<DeliveryResponse> {
    const deadline = Date.now() + this.settings.waitTimeoutMs;
    const jobId = await this.bounded(this.submit(request, 'send'), request, deadline);
    return this.waitFor(request, jobId, deadline);
  }

  async enqueue(request: DeliveryRequest): Promise<void> {
    await this.bounded(this.submit(request, 'enqueue'), request, Date.now() + this.settings.waitTimeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.watcher?.close();
    await this.worker?.close();
    await this.queue.close();
    this.redis.disconnect();
  }

  /** Adds the job unless its idempotency key is known; a failure that a retry can fix is retried. */
  private async submit(request: DeliveryRequest, mode: DeliveryJobData['mode']): Promise<string> {
    const jobId = jobIdFor(request.idempotencyKey);
    const state = await this.queue.getJobState(jobId);
    if (state === 'failed') {
      await this.retryFailed(jobId);
      return jobId;
    }
    if (state !== 'unknown') return jobId;

    let delay = 0;
    if (request.debounceKey) {
      const windowDelay = await this.debouncer.mark(request.debounceKey, jobId);
      if (windowDelay === undefined) return jobId;
      delay = windowDelay;
    }
    await this.queue.add(request.method, { request, mode }, { jobId, delay });
    return jobId;
  }

  /** A caller asking again (e.g. a retried activity) gets a fresh series of attempts. */
  private async retryFailed(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (!job || isPermanentError(job.failedReason)) return;
    await job.updateData({ request: job.data.request, mode: job.data.mode });
    // Another caller may have retried it a moment ago: then it is no longer failed, which is fine.
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch(() => undefined);
  }

  /**
   * Waits for the job's outcome, following "superseded by" links of debounced updates. Redis errors
   * are retried until the deadline; a job that vanished (Redis lost its data) is added again.
   */
  private async waitFor(
    request: DeliveryRequest,
    jobId: string,
    deadline: number,
  ): Promise<DeliveryResponse> {
    this.watcher ??= new JobWatcher(
      this.options.redisUrl,
      this.settings.queueName,
      this.settings.prefix,
      this.logger,
    );
    let id = jobId;
    for (;;) {
      const remaining = deadline - Date.now();
      if (this.closed || remaining <= 0) throw new DeliveryTimeoutError(request, this.settings.waitTimeoutMs);
      const wakeup = this.watcher.next(id, Math.min(this.settings.pollMs, remaining));
      const outcome = await this.bounded(this.outcome(request, id, id === jobId), request, deadline).catch(
        (error: unknown) => {
          if (error instanceof DeliveryFailedError || error instanceof DeliveryTimeoutError) {
            wakeup.cancel();
            throw error;
          }
          // Redis is probably restarting: look again at the next wakeup.
          this.logger.debug({ err: error, jobId: id }, 'delivery state not readable; retrying');
          return undefined;
        },
      );
      if (!outcome) {
        await wakeup.promise;
        continue;
      }
      wakeup.cancel();
      if ('response' in outcome) return outcome.response;
      id = outcome.supersededBy;
    }
  }

  private async outcome(
    request: DeliveryRequest,
    id: string,
    own: boolean,
  ): Promise<DeliveryOutcome | undefined> {
    const state = await this.queue.getJobState(id);
    if (state === 'unknown') {
      if (own) await this.submit(request, 'send');
      return undefined;
    }
    if (state !== 'completed' && state !== 'failed') return undefined;
    // Finished jobs no longer change, so reading the job after its state is safe.
    const job = await this.queue.getJob(id);
    if (!job) return undefined;
    if (state === 'failed') throw new DeliveryFailedError(request, job.failedReason, job.attemptsMade);
    return job.returnvalue;
  }

  /** Rejects with DeliveryTimeoutError at the deadline, e.g. while Redis is unreachable. */
  private async bounded<T>(work: Promise<T>, request: DeliveryRequest, deadline: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DeliveryTimeoutError(request, this.settings.waitTimeoutMs)),
        Math.max(0, deadline - Date.now()),
      );
    });
    work.catch(() => undefined); // a late rejection after the deadline is not unhandled
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
