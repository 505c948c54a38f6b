import { WebClient } from '@slack/web-api';
import type { FilesUploadV2Arguments } from '@slack/web-api';
import type { Delivery, DeliveryRequest, DeliveryResponse } from '../../core/delivery/contract';
import type { Logger } from '../../core/logger';

/** Slack errors that retrying the same request cannot fix. */
const permanent = new Set([
  'not_in_channel', 'channel_not_found', 'is_archived', 'invalid_blocks', 'invalid_blocks_format', 'msg_too_long',
  'no_text', 'invalid_arguments', 'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'missing_scope',
  'message_not_found', 'cant_update_message', 'restricted_action', 'invalid_thread_ts',
]);

/** What `Delivery.send` throws when a request failed for good (the contract's DeliveryFailedError). */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
  constructor(
    readonly slackError: string,
    message: string,
  ) {
    super(message);
  }
}

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
      this.logger?.warn({ err: error, method: request.method, runId: request.runId }, 'slack delivery failed'),
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
    const turn = slot.tail.then(() => (slot.latest === request ? this.#once(request) : { ok: true, coalesced: true }));
    slot.tail = turn.catch(() => undefined).then(() => {
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

  async #call({ method, args }: DeliveryRequest): Promise<DeliveryResponse> {
    try {
      const response =
        method === 'files.uploadV2'
          ? await this.#client.filesUploadV2(args as unknown as FilesUploadV2Arguments)
          : await this.#client.apiCall(method, { ...args });
      return { ...response };
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      if (typeof code === 'string' && permanent.has(code)) {
        throw new DeliveryFailedError(code, `Slack refused ${method}: ${code}`);
      }
      throw error;
    }
  }
}
