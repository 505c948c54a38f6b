import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from '../logger';
import type { DeliveryRequest } from './contract';
import { type DeliverySettings, defaultDeliverySettings } from './config';
import { Debouncer } from './debounce';
import { DeliveryFailedError, SendError } from './errors';
import { ChannelPacer } from './pacing';
import {
  type DeliveryJob,
  type DeliveryJobData,
  type DeliveryOutcome,
  connectionOptions,
  createRedis,
  deliveryKeys,
} from './queue';
import { type SenderMap, senderFor } from './sender';

/** Called once a delivery nobody awaits (`enqueue`) fails for good, e.g. to mark its run. */
export type DeliveryFailureHandler = (
  request: DeliveryRequest,
  error: DeliveryFailedError,
) => void | Promise<void>;

export interface DeliveryWorkerOptions {
  redisUrl: string;
  logger: Logger;
  senders: SenderMap;
  onFailed?: DeliveryFailureHandler;
  settings?: Partial<DeliverySettings>;
}

export interface DeliveryWorker {
  /** Finishes the deliveries in hand, then stops. */
  close(): Promise<void>;
}

/**
 * The consumer: paces each channel, sends, and turns errors into BullMQ's retry, delay or failure.
 * Any process can host it (light-tier worker, bot); several processes share the work.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const settings = { ...defaultDeliverySettings, ...options.settings };
  const logger = options.logger.child({ component: 'delivery-worker' });
  const redis = createRedis(options.redisUrl);
  redis.on('error', (error: Error) => logger.debug({ err: error }, 'redis connection error'));

  const keys = deliveryKeys(settings.prefix, settings.queueName);
  const pacer = new ChannelPacer(redis, keys, settings.channelIntervalMs);
  const debouncer = new Debouncer(redis, keys, settings.debounceMs, settings.resultTtlSeconds * 1000);

  const deliver = async (job: DeliveryJob, token?: string): Promise<DeliveryOutcome> => {
    const { request } = job.data;
    const jobId = job.id!;

    // Checked on every run, not just the first: a newer update may have arrived while this one waited.
    if (request.debounceKey) {
      const newer = await debouncer.newer(request.debounceKey, jobId);
      if (newer) {
        await promoteFromWindow(newer);
        return { supersededBy: newer };
      }
    }

    const holder = request.debounceKey ? keys.debounce(request.debounceKey) : keys.hold(jobId);
    const waitMs = await pacer.claim(request.channel, holder);
    if (waitMs > 0) return delay(job, waitMs, token);

    const sender = senderFor(options.senders, request.method);
    if (!sender) throw new UnrecoverableError('no_sender');
    try {
      return { response: await sender.send(request.method, request.args) };
    } catch (error) {
      const failure = error instanceof SendError ? error : new SendError(String(error), { permanent: false });
      if (failure.retryAfterMs !== undefined) {
        // A 429 is not the request's fault: wait it out without spending an attempt, up to a cap.
        const rateLimited = (job.data.rateLimited ?? 0) + 1;
        if (rateLimited > settings.maxRateLimited) throw new UnrecoverableError(failure.error);
        const waitMs = await pacer.block(request.channel, holder, failure.retryAfterMs);
        logger.debug({ ...where(request), retryAfterMs: failure.retryAfterMs }, 'rate limited; delayed');
        await job.updateData({ ...job.data, rateLimited });
        return delay(job, waitMs, token);
      }
      logger.warn(
        { ...where(request), error: failure.error, attempt: job.attemptsMade + 1 },
        'delivery attempt failed',
      );
      throw failure.permanent ? new UnrecoverableError(failure.error) : new Error(failure.error);
    }
  };

  /**
   * This job's turn has come but newer content exists, maybe still waiting out its debounce window:
   * let it go now, into the place in line this job held (updates that keep coming would otherwise
   * keep the newest one in its window every time a turn comes, and the message would never update).
   */
  const promoteFromWindow = async (jobId: string): Promise<void> => {
    const newer = await Job.fromId<DeliveryJobData, DeliveryOutcome>(worker, jobId);
    // Never started = delayed only by its window (not by pacing, a 429 or a backoff).
    if (newer && newer.attemptsStarted === 0) await newer.promote().catch(() => undefined);
  };

  const worker = new Worker<DeliveryJobData, DeliveryOutcome>(settings.queueName, deliver, {
    connection: connectionOptions(options.redisUrl),
    prefix: settings.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockMs,
    stalledInterval: settings.stalledCheckMs,
    // A job stalls when its worker dies mid-send; retrying it twice is enough to ride out a restart.
    maxStalledCount: 2,
  });

  worker.on('failed', (job, error) => {
    // `finishedOn` is set only when BullMQ will not retry: this failure is final.
    if (!job?.finishedOn) return;
    const failed = new DeliveryFailedError(job.data.request, error.message, job.attemptsMade);
    logger.error(
      { ...where(job.data.request), error: failed.error, attempts: failed.attempts },
      'delivery failed for good',
    );
    if (job.data.mode === 'enqueue' && options.onFailed) {
      Promise.resolve()
        .then(() => options.onFailed!(job.data.request, failed))
        .catch((hookError: unknown) =>
          logger.error({ ...where(job.data.request), err: hookError }, 'onFailed hook threw'),
        );
    }
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'delivery worker error'));

  return {
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}

async function delay(job: DeliveryJob, ms: number, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

function where(request: DeliveryRequest): Record<string, unknown> {
  return {
    channel: request.channel,
    method: request.method,
    runId: request.runId,
    idempotencyKey: request.idempotencyKey,
  };
}
