import { WebClient } from '@slack/web-api';
import type { Delivery, DeliveryRequest, DeliveryResponse } from '../../core/delivery/contract';
import { DeliveryFailedError, isPermanentError } from '../../core/delivery/errors';
import type { Logger } from '../../core/logger';

const maxRemembered = 10_000;

/**
 * STAND-IN for the real delivery queue (core/delivery, being built): calls the Web API directly,
 * in this process. It keeps only what the callers rely on — same idempotency key → one delivery
 * (in this process), same debounce key → in order, latest wins — and none of the queue's pacing,
 * 429 handling or retries. Swap it for the real `Delivery` in worker/activities.ts.
 */
export class DirectSlackDelivery implements Delivery {
  readonly #client: WebClient;
  readonly #delivered = new Map<string, Promise<DeliveryResponse>>();
  readonly #debounced = new Map<string, { latest: DeliveryRequest; tail: Promise<unknown> }>();

  constructor(
    options: { token: string; apiUrl?: string },
    private readonly logger?: Logger,
  ) {
    this.#client = new WebClient(options.token, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      retryConfig: { retries: 0 }, // retries belong to the activity (and later the queue)
      rejectRateLimitedCalls: true,
    });
  }

  send(request: DeliveryRequest): Promise<DeliveryResponse> {
    return request.debounceKey ? this.#debounce(request, request.debounceKey) : this.#once(request);
  }

  async enqueue(request: DeliveryRequest): Promise<void> {
    this.send(request).catch((error: unknown) =>
      this.logger?.warn(
        { err: error, method: request.method, runId: request.runId },
        'slack delivery failed',
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.#debounced.values()].map((slot) => slot.tail));
  }

  /** Waits behind earlier requests with the same key; sends only if nothing newer arrived meanwhile. */
  #debounce(request: DeliveryRequest, key: string): Promise<DeliveryResponse> {
    const slot = this.#debounced.get(key) ?? { latest: request, tail: Promise.resolve() };
    this.#debounced.set(key, slot);
    slot.latest = request;
    const turn = slot.tail.then(() =>
      slot.latest === request ? this.#once(request) : { ok: true, coalesced: true },
    );
    slot.tail = turn
      .catch(() => undefined)
      .then(() => {
        if (this.#debounced.get(key)?.latest === request) this.#debounced.delete(key);
      });
    return turn;
  }

  #once(request: DeliveryRequest): Promise<DeliveryResponse> {
    const known = this.#delivered.get(request.idempotencyKey);
    if (known) return known;
    const delivery = this.#call(request);
    this.#delivered.set(request.idempotencyKey, delivery);
    if (this.#delivered.size > maxRemembered) this.#delivered.delete(this.#delivered.keys().next().value!);
    // A failed delivery may be tried again by the caller's retry.
    delivery.catch(() => this.#delivered.delete(request.idempotencyKey));
    return delivery;
  }

  async #call(request: DeliveryRequest): Promise<DeliveryResponse> {
    try {
      return { ...(await this.#client.apiCall(request.method, { ...request.args })) };
    } catch (error) {
      // Same error as the real queue for what no retry can fix; anything else the caller may retry.
      const code = (error as { data?: { error?: unknown } }).data?.error;
      if (typeof code === 'string' && isPermanentError(code)) throw new DeliveryFailedError(request, code, 1);
      throw error;
    }
  }
}
