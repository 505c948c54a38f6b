import { QueueEvents } from 'bullmq';
import type { Logger } from '../logger';
import { connectionOptions } from './queue';

export interface Wakeup {
  /** Resolves on the job's next `completed`/`failed` event, after `ms`, or on close. */
  readonly promise: Promise<void>;
  cancel(): void;
}

/**
 * Wakes waiters when their job finishes, from the queue's event stream. Events are only a hint:
 * one can be missed across a reconnect, so waiters also re-read their job every `pollMs`.
 */
export class JobWatcher {
  private readonly events: QueueEvents;
  private readonly waiting = new Map<string, Set<() => void>>();

  constructor(redisUrl: string, queueName: string, prefix: string, logger: Logger) {
    this.events = new QueueEvents(queueName, { connection: connectionOptions(redisUrl), prefix });
    const wake = ({ jobId }: { jobId: string }) => {
      for (const resolve of this.waiting.get(jobId) ?? []) resolve();
    };
    this.events.on('completed', wake);
    this.events.on('failed', wake);
    this.events.on('error', (error) => logger.debug({ err: error }, 'queue events connection error'));
  }

  next(jobId: string, ms: number): Wakeup {
    let done!: () => void;
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), ms);
      done = () => {
        clearTimeout(timer);
        const set = this.waiting.get(jobId);
        set?.delete(done);
        if (set?.size === 0) this.waiting.delete(jobId);
        resolve();
      };
    });
    const set = this.waiting.get(jobId) ?? new Set();
    set.add(done);
    this.waiting.set(jobId, set);
    return { promise, cancel: done };
  }

  async close(): Promise<void> {
    for (const set of [...this.waiting.values()]) for (const resolve of [...set]) resolve();
    await this.events.close();
  }
}
